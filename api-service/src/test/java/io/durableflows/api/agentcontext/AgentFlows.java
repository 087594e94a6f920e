package io.durableflows.api.agentcontext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Agent flow documents for tests: input(message) -> agent_1 -> output. */
public final class AgentFlows {
  private AgentFlows() {}

  public static Map<String, Object> agent(String slug, Map<String, Object> agentData) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("prompt", "{{input.message}}");
    data.putAll(agentData);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("slug", slug);
    doc.put("name", "Agent " + slug);
    doc.put("nodes", List.of(
        Map.of("id", "input", "type", "input", "data", Map.of("variables",
            List.of(Map.of("name", "message", "type", "string", "required", true)))),
        Map.of("id", "agent_1", "type", "agent", "data", data),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw"))));
    doc.put("edges", List.of(Map.of("id", "e1", "source", "input", "target", "agent_1"),
        Map.of("id", "e2", "source", "agent_1", "target", "output")));
    return doc;
  }
}
