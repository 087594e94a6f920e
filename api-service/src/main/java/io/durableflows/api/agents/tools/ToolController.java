package io.durableflows.api.agents.tools;

import io.durableflows.api.agents.AgentViews;
import io.durableflows.api.agents.Agents;
import io.durableflows.api.agents.MergePatch;
import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolApprovalPolicy;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's tools registry. An agent's tools are its agent node's {@code tools} list: registering, changing,
 * deleting or setting the approval policy of one rewrites the list and publishes a release (a refused change, 400
 * or 409, publishes nothing). Running a tool or drafting one goes through Temporal as a run.
 */
@RestController
@RequestMapping("/api/v1/agent/{id}/tools")
class ToolController {
  private final Agents agents;
  private final ToolRuns toolRuns;

  ToolController(Agents agents, ToolRuns toolRuns) {
    this.agents = agents;
    this.toolRuns = toolRuns;
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    Agents.Agent agent = agents.require(caller.orgId(), id);
    List<Object> tools = agent.tools();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("version", agent.flow().latestVersion());
    out.put("data", tools.stream().map(ToolEntries::view).toList());
    out.put("builtins_available", BuiltInTools.names().stream().filter(n -> ToolEntries.indexOf(tools, n) < 0).toList());
    return out;
  }

  @GetMapping("/{tool}")
  Map<String, Object> get(Caller caller, @PathVariable String id, @PathVariable String tool) {
    caller.require("flows:read");
    Agents.Agent agent = agents.require(caller.orgId(), id);
    return ToolEntries.view(agent.tools().get(require(agent.tools(), tool, agent.slug())));
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> register(Caller caller, @PathVariable String id, @RequestBody Object body) {
    caller.require("flows:write");
    return ResponseEntity.status(HttpStatus.CREATED).body(register(caller, id, body, "tool registered"));
  }

  /** A definition drafted by {@code /generate} (or any): {@code {"tool": …}} or the generate answer's {@code draft}. */
  @PostMapping("/persist")
  ResponseEntity<Map<String, Object>> persist(Caller caller, @PathVariable String id,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    Object definition = body.get("tool") != null ? body.get("tool") : body.get("draft");
    if (definition == null) {
      throw ApiException.badRequest("invalid_request", "send {\"tool\": <definition>} or the generate answer's draft");
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(register(caller, id, definition, "generated tool persisted"));
  }

  private Map<String, Object> register(Caller caller, String id, Object definition, String notes) {
    agents.require(caller.orgId(), id);
    ToolEntries.check(definition);
    String name = ToolEntries.name(definition);
    Agents.Edited edited = agents.edit(caller.orgId(), id, notes + ": " + name, draft -> {
      Agents.Agent before = current(draft);
      List<Object> tools = before.tools();
      ToolEntries.requireFree(tools, before.subagents(), name, -1);
      tools.add(definition);
      draft.data().put("tools", tools);
    });
    return changed(edited, name);
  }

  @PatchMapping("/{tool}")
  Map<String, Object> update(Caller caller, @PathVariable String id, @PathVariable String tool,
      @RequestBody Map<String, Object> patch) {
    caller.require("flows:write");
    Agents.Agent agent = agents.require(caller.orgId(), id);
    require(agent.tools(), tool, agent.slug());
    String[] renamed = {tool};
    Agents.Edited edited = agents.edit(caller.orgId(), id, "tool updated: " + tool, draft -> {
      Agents.Agent before = current(draft);
      List<Object> tools = before.tools();
      int at = require(tools, tool, agent.slug());
      Object changed = MergePatch.apply(ToolEntries.editable(tools.get(at)), patch);
      ToolEntries.check(changed);
      renamed[0] = ToolEntries.name(changed);
      ToolEntries.requireFree(tools, before.subagents(), renamed[0], at);
      tools.set(at, changed);
      draft.data().put("tools", tools);
    });
    return changed(edited, renamed[0]);
  }

  @DeleteMapping("/{tool}")
  Map<String, Object> delete(Caller caller, @PathVariable String id, @PathVariable String tool) {
    caller.require("flows:write");
    Agents.Agent agent = agents.require(caller.orgId(), id);
    require(agent.tools(), tool, agent.slug());
    Agents.Edited edited = agents.edit(caller.orgId(), id, "tool deleted: " + tool, draft -> {
      List<Object> tools = current(draft).tools();
      tools.remove(require(tools, tool, agent.slug()));
      draft.data().put("tools", tools);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deleted", tool);
    out.put("version", edited.release().version());
    out.put("release", AgentViews.release(edited.release()));
    return out;
  }

  /** The approval policy: {@code "always"}, {@code "never"} or {@code {"rules": [...], "match": ...}}. */
  @PutMapping("/{tool}/approval")
  Map<String, Object> approval(Caller caller, @PathVariable String id, @PathVariable String tool,
      @RequestBody Object body) {
    caller.require("flows:write");
    Object policy = body instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("approval") ? m.get("approval") : body;
    List<String> problems = ToolApprovalPolicy.problems(policy);
    if (policy == null) problems = List.of("is required: \"always\", \"never\" or {\"rules\": [...]}");
    if (!problems.isEmpty()) {
      throw ApiException.invalid("invalid_approval", "the approval policy is invalid",
          problems.stream().map(p -> FieldError.of("approval", p)).toList());
    }
    Agents.Agent agent = agents.require(caller.orgId(), id);
    require(agent.tools(), tool, agent.slug());
    Agents.Edited edited = agents.edit(caller.orgId(), id, "tool approval set: " + tool, draft -> {
      List<Object> tools = current(draft).tools();
      int at = require(tools, tool, agent.slug());
      Map<String, Object> entry = ToolEntries.editable(tools.get(at));
      entry.put("approval", policy);
      tools.set(at, entry);
      draft.data().put("tools", tools);
    });
    return changed(edited, tool);
  }

  @PostMapping("/{tool}/run")
  ResponseEntity<Map<String, Object>> run(Caller caller, @PathVariable String id, @PathVariable String tool,
      @RequestBody(required = false) Map<String, Object> body, HttpServletRequest request) {
    Agents.Agent agent = agents.require(caller.orgId(), id);
    require(agent.tools(), tool, agent.slug());
    return toolRuns.run(caller, agent, tool, body == null ? Map.of() : body, request);
  }

  @PostMapping("/generate")
  Map<String, Object> generate(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    return toolRuns.generate(caller, agents.require(caller.orgId(), id), body);
  }

  private static Agents.Agent current(Agents.Draft draft) {
    return new Agents.Agent(null, null, draft.data());
  }

  private static int require(List<Object> tools, String tool, String agent) {
    int at = ToolEntries.indexOf(tools, tool);
    if (at < 0) throw ApiException.notFound("tool '" + tool + "' of agent '" + agent + "'");
    return at;
  }

  private static Map<String, Object> changed(Agents.Edited edited, String name) {
    List<Object> tools = edited.agent().tools();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tool", ToolEntries.view(tools.get(ToolEntries.indexOf(tools, name))));
    out.put("version", edited.release().version());
    out.put("release", AgentViews.release(edited.release()));
    return out;
  }
}
