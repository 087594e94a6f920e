package io.durableflows.api.agents;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.support.Cursors;
import io.durableflows.workflows.flow.InputSchema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's agents API. An agent is a flow with exactly one {@code agent} node, addressed by slug or flow id;
 * its configuration is that node's data; every change publishes a release, and chat runs the latest one.
 */
@RestController
@RequestMapping("/api/v1")
class AgentController {
  private static final String CHANNEL = "agent_api";
  private final Agents agents;
  private final AgentDirectory directory;
  private final AgentChats chats;
  private final FlowService flows;

  AgentController(Agents agents, AgentDirectory directory, AgentChats chats, FlowService flows) {
    this.agents = agents;
    this.directory = directory;
    this.chats = chats;
    this.flows = flows;
  }

  @GetMapping("/agents")
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    caller.require("flows:read");
    Cursors.limit(limit, 100);
    Cursors.Position after = Cursors.decode(cursor);
    List<Agents.Agent> page = directory.page(caller.orgId(), after == null ? null : after.createdAt(),
        after == null ? null : after.id(), limit + 1).stream().map(id -> agents.require(caller.orgId(), id)).toList();
    return Cursors.page(page, limit, a -> new Cursors.Position(a.flow().createdAt(), a.flow().id()),
        AgentViews::summary);
  }

  @GetMapping("/agents/stats")
  Map<String, Object> stats(Caller caller) {
    caller.require("flows:read");
    List<Agents.Agent> live = new ArrayList<>();
    for (var flow : flows.list(caller.orgId(), null)) Agents.asAgent(flow).ifPresent(live::add);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agents", live.size());
    out.put("tombstoned", directory.tombstoned(caller.orgId()));
    out.put("published", live.stream().filter(a -> a.flow().latestVersion() != null).count());
    out.put("tools", live.stream().mapToInt(a -> a.tools().size()).sum());
    out.put("subagents", live.stream().mapToInt(a -> a.subagents().size()).sum());
    Map<String, Long> providers = new java.util.TreeMap<>();
    for (Agents.Agent a : live) {
      String provider = a.data().get("provider") instanceof String p ? p : "default";
      providers.merge(provider, 1L, Long::sum);
    }
    out.put("by_provider", providers);
    out.put("runs", directory.runCounts(caller.orgId(), directory.allIds(caller.orgId())));
    return out;
  }

  @GetMapping("/agent/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    Agents.Agent agent = agents.require(caller.orgId(), id);
    Map<String, Object> out = AgentViews.summary(agent);
    out.put("config", agent.data());
    // What chat sends to: the latest release's input.
    out.put("input_schema",
        InputSchema.of(flows.resolve(caller.orgId(), agent.flow().id(), null).definition()).toJsonSchema());
    out.put("runs", directory.runCounts(caller.orgId(), List.of(agent.flow().id())));
    return out;
  }

  @GetMapping("/agent/{id}/config")
  Map<String, Object> config(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    return AgentViews.config(agents.require(caller.orgId(), id));
  }

  @PatchMapping("/agent/{id}/config")
  Map<String, Object> patchConfig(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    agents.require(caller.orgId(), id);
    ConfigPatch patch = ConfigPatch.parse(body, Set.of());
    if (patch.isEmpty()) throw ApiException.badRequest("invalid_request", "nothing to change");
    Agents.Edited edited = agents.edit(caller.orgId(), id, "config updated", patch::applyTo);
    Map<String, Object> out = AgentViews.config(edited.agent());
    out.put("release", AgentViews.release(edited.release()));
    return out;
  }

  @DeleteMapping("/agent/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    caller.require("flows:write");
    agents.tombstone(caller.orgId(), id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/agent/{id}/chat")
  ResponseEntity<?> chat(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body,
      HttpServletRequest request, HttpServletResponse response) {
    caller.require("runs:write");
    return chats.chat(caller, agents.require(caller.orgId(), id), body, CHANNEL, request, response);
  }
}
