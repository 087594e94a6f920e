package io.durableflows.api.agentcontext;

import java.util.List;
import java.util.Map;

/** An agent (a flow with one {@code agent} node) as the context and capability routes read it. */
public record AgentNode(String slug, String nodeId, Map<String, Object> data) {
  public List<String> skills() {
    return names("skills");
  }

  public List<String> promptBlocks() {
    return names("promptBlocks");
  }

  public List<String> contextBlocks() {
    return names("contextBlocks");
  }

  private List<String> names(String key) {
    return data.get(key) instanceof List<?> list
        ? list.stream().filter(String.class::isInstance).map(String.class::cast).distinct().toList()
        : List.of();
  }
}
