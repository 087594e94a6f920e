package io.durableflows.api.agents;

import io.durableflows.api.agents.tools.ToolEntries;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.ReleaseRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** How agents read in responses. */
public final class AgentViews {
  private AgentViews() {}

  /** An agent in lists: what it is and what it has. */
  public static Map<String, Object> summary(Agents.Agent a) {
    FlowRecord f = a.flow();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", f.id());
    out.put("slug", f.slug());
    out.put("name", f.name());
    out.put("description", f.description());
    out.put("project", f.projectSlug());
    out.put("version", f.latestVersion());
    out.put("node", a.nodeId());
    out.put("provider", a.data().get("provider"));
    out.put("model", a.data().get("model"));
    out.put("tools", a.tools().stream().map(ToolEntries::name).toList());
    out.put("subagents", a.subagents().stream().map(s -> s.get("name")).toList());
    out.put("created_at", f.createdAt());
    out.put("updated_at", f.updatedAt());
    return out;
  }

  /** The agent's configuration: its flow's name and description, and its agent node's data. */
  public static Map<String, Object> config(Agents.Agent a) {
    FlowRecord f = a.flow();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", f.slug());
    out.put("id", f.id());
    out.put("name", f.name());
    out.put("description", f.description());
    out.put("version", f.latestVersion());
    out.put("node", a.nodeId());
    out.put("config", a.data());
    return out;
  }

  /** What a change published: the new release. */
  public static Map<String, Object> release(ReleaseRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("version", r.version());
    out.put("notes", r.notes());
    out.put("created_at", r.createdAt());
    return out;
  }
}
