package io.durableflows.api.agents.subagents;

import io.durableflows.api.agents.AgentChats;
import io.durableflows.api.agents.AgentViews;
import io.durableflows.api.agents.Agents;
import io.durableflows.api.agents.tools.ToolEntries;
import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's sub-agent routes: each sub-agent is an agent flow the parent's agent node delegates to. */
@RestController
@RequestMapping("/api/v1/agent/{id}/subagents")
class SubagentController {
  private static final String CHANNEL = "agent_subagent_run";
  private final Subagents subagents;
  private final AgentChats chats;

  SubagentController(Subagents subagents, AgentChats chats) {
    this.subagents = subagents;
    this.chats = chats;
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    return Map.of("data", subagents.list(caller.orgId(), id).stream().map(s -> view(s, false)).toList());
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @PathVariable String id,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    return ResponseEntity.status(HttpStatus.CREATED).body(view(subagents.create(caller.orgId(), id, body), true));
  }

  @GetMapping("/{subId}")
  Map<String, Object> get(Caller caller, @PathVariable String id, @PathVariable String subId) {
    caller.require("flows:read");
    return view(subagents.require(caller.orgId(), id, subId), true);
  }

  @PatchMapping("/{subId}")
  Map<String, Object> update(Caller caller, @PathVariable String id, @PathVariable String subId,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    return view(subagents.update(caller.orgId(), id, subId, body), true);
  }

  @DeleteMapping("/{subId}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id, @PathVariable String subId) {
    caller.require("flows:write");
    subagents.delete(caller.orgId(), id, subId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{subId}/config")
  Map<String, Object> config(Caller caller, @PathVariable String id, @PathVariable String subId) {
    caller.require("flows:read");
    Subagents.Sub sub = subagents.require(caller.orgId(), id, subId);
    Map<String, Object> out = AgentViews.config(Subagents.agentOf(sub));
    out.put("subagent", sub.name());
    out.put("parent", sub.parent().slug());
    return out;
  }

  @GetMapping("/{subId}/tools")
  Map<String, Object> tools(Caller caller, @PathVariable String id, @PathVariable String subId) {
    caller.require("flows:read");
    Agents.Agent agent = Subagents.agentOf(subagents.require(caller.orgId(), id, subId));
    return Map.of("data", agent.tools().stream().map(ToolEntries::view).toList());
  }

  /** {@code {"tool": "<name>"}}: one of the parent's tools or a built-in. */
  @PostMapping("/{subId}/tools")
  ResponseEntity<Map<String, Object>> assignTool(Caller caller, @PathVariable String id, @PathVariable String subId,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    Object tool = body.get("tool") != null ? body.get("tool") : body.get("name");
    if (!(tool instanceof String name) || name.isBlank()) {
      throw ApiException.badRequest("invalid_request", "send {\"tool\": \"<name>\"}: a tool of the parent or a built-in");
    }
    Agents.Edited edited = subagents.assignTool(caller.orgId(), id, subId, name);
    List<Object> tools = edited.agent().tools();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tool", ToolEntries.view(tools.get(ToolEntries.indexOf(tools, name))));
    out.put("version", edited.release().version());
    out.put("release", AgentViews.release(edited.release()));
    return ResponseEntity.status(HttpStatus.CREATED).body(out);
  }

  @DeleteMapping("/{subId}/tools/{tool}")
  Map<String, Object> removeTool(Caller caller, @PathVariable String id, @PathVariable String subId,
      @PathVariable String tool) {
    caller.require("flows:write");
    Agents.Edited edited = subagents.removeTool(caller.orgId(), id, subId, tool);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deleted", tool);
    out.put("version", edited.release().version());
    out.put("release", AgentViews.release(edited.release()));
    return out;
  }

  @GetMapping("/{subId}/available-tools")
  Map<String, Object> availableTools(Caller caller, @PathVariable String id, @PathVariable String subId) {
    caller.require("flows:read");
    Subagents.Sub sub = subagents.require(caller.orgId(), id, subId);
    List<Object> assigned = Subagents.agentOf(sub).tools();
    return Map.of("data", Subagents.availableTools(sub.parent()).stream()
        .filter(t -> ToolEntries.indexOf(assigned, ToolEntries.name(t)) < 0).map(ToolEntries::view).toList());
  }

  @PostMapping("/{subId}/run")
  ResponseEntity<?> run(Caller caller, @PathVariable String id, @PathVariable String subId,
      @RequestBody Map<String, Object> body, HttpServletRequest request, HttpServletResponse response) {
    caller.require("runs:write");
    Agents.Agent agent = Subagents.agentOf(subagents.require(caller.orgId(), id, subId));
    return chats.chat(caller, agent, body, CHANNEL, request, response);
  }

  private static Map<String, Object> view(Subagents.Sub sub, boolean full) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", sub.name());
    out.put("description", sub.entry().get("description"));
    out.put("flow", sub.entry().get("flow"));
    out.put("pinned_version", sub.entry().get("version"));
    out.put("parent", sub.parent().slug());
    out.put("parent_version", sub.parent().flow().latestVersion());
    Agents.Agent agent = sub.agent();
    out.put("flow_id", agent == null ? null : agent.flow().id());
    out.put("version", agent == null ? null : agent.flow().latestVersion());
    out.put("missing", agent == null);
    out.put("tools", agent == null ? List.of() : agent.tools().stream().map(ToolEntries::name).toList());
    if (full && agent != null) out.put("config", agent.data());
    return out;
  }
}
