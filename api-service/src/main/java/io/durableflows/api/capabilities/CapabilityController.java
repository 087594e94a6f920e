package io.durableflows.api.capabilities;

import io.durableflows.api.agentcontext.AgentNode;
import io.durableflows.api.agentcontext.AgentNodes;
import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.workflows.flow.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's agent capabilities. {@code plan} and {@code reflect} are built-in flows ({@code capabilities/*.json})
 * run like any flow, with the agent's provider, model, temperature and maxTokens as overrides: durable runs listed
 * in {@code /api/v1/runs} under {@code capability-plan} and {@code capability-reflect}. {@code retrieve} is a text
 * search over the agent's skills and prompt blocks.
 */
@RestController
@RequestMapping("/api/v1/agent/{id}/capability")
class CapabilityController {
  private static final Pattern STEP = Pattern.compile("^\\s*(\\d+)[.)]\\s+(.+?)\\s*$");
  private static final Set<String> MODEL_SETTINGS = Set.of("provider", "model", "temperature", "maxTokens");
  private static final int MAX_TEXT = 50_000;
  private final AgentNodes agents;
  private final BuiltInFlows builtIns;
  private final RunService runs;
  private final Retrieval retrieval;

  CapabilityController(AgentNodes agents, BuiltInFlows builtIns, RunService runs, Retrieval retrieval) {
    this.agents = agents;
    this.builtIns = builtIns;
    this.runs = runs;
    this.retrieval = retrieval;
  }

  /** {@code {"query", "limit"?}}: ranked snippets from the agent's skills (and their files) and prompt blocks. */
  @PostMapping("/retrieve")
  Map<String, Object> retrieve(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    caller.require("flows:read");
    allowOnly(body, Set.of("query", "limit"));
    String query = requiredText(body, "query");
    Object limit = body.get("limit");
    if (limit != null && !(limit instanceof Integer n && n >= 1 && n <= 50)) {
      throw invalid("limit", "must be an integer from 1 to 50");
    }
    AgentNode agent = agents.require(caller.orgId(), id);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("query", query);
    out.put("source", "skills_and_prompt_blocks");
    out.put("results", retrieval.search(caller.orgId(), agent, query, limit == null ? 5 : (Integer) limit));
    return out;
  }

  /** {@code {"goal"}}: a numbered plan from the agent's model ({@code steps} parsed from its answer). */
  @PostMapping("/plan")
  Map<String, Object> plan(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    allowOnly(body, Set.of("goal"));
    String goal = requiredText(body, "goal");
    AgentNode agent = agents.require(caller.orgId(), id);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("goal", goal);
    CompletedRun run = run(caller, agent, BuiltInFlows.PLAN, input);
    String text = run.result().text();
    List<String> steps = new ArrayList<>();
    for (String line : text.split("\\R")) {
      Matcher m = STEP.matcher(line);
      if (m.matches()) steps.add(m.group(2));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("run_id", run.runId());
    out.put("goal", goal);
    out.put("steps", steps);
    out.put("text", text);
    return out;
  }

  /** {@code {"draft", "criteria"?}}: a critique and a revised answer from the agent's model. */
  @PostMapping("/reflect")
  Map<String, Object> reflect(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    allowOnly(body, Set.of("draft", "criteria"));
    String draft = requiredText(body, "draft");
    Object criteria = body.get("criteria");
    if (criteria != null && !(criteria instanceof String c && !c.isBlank() && c.length() <= MAX_TEXT)) {
      throw invalid("criteria", "must be a non-empty string");
    }
    AgentNode agent = agents.require(caller.orgId(), id);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("draft", draft);
    if (criteria != null) input.put("criteria", criteria);
    CompletedRun run = run(caller, agent, BuiltInFlows.REFLECT, input);
    String text = run.result().text();
    int revisedAt = text.indexOf("Revised answer:");
    String critique = revisedAt < 0 ? text.strip() : text.substring(0, revisedAt).strip();
    critique = critique.replaceFirst("^(?i)critique:\\s*", "");
    String revised = revisedAt < 0 ? null : text.substring(revisedAt + "Revised answer:".length()).strip();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("run_id", run.runId());
    out.put("critique", critique);
    out.put("revised", revised);
    out.put("text", text);
    return out;
  }

  private CompletedRun run(Caller caller, AgentNode agent, String capability, Map<String, Object> input) {
    ResolvedFlow flow = builtIns.get(capability);
    String node = BuiltInFlows.MODEL_NODE.get(capability);
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (String key : MODEL_SETTINGS) {
      if (agent.data().get(key) != null) overrides.put("node/" + node + "." + key, agent.data().get(key));
    }
    if (agent.data().get("systemPrompt") instanceof String s && !s.isBlank()) input.put("instructions", s);
    Map<String, Object> metadata = Map.of("agent", agent.slug(), "capability", capability);
    return runs.runAndWait(caller, flow,
        new RunCommand(flow.slug(), null, input, metadata, overrides, null, "capability"), null);
  }

  private static void allowOnly(Map<String, Object> body, Set<String> fields) {
    for (String key : body.keySet()) {
      if (!fields.contains(key)) throw invalid(key, "is not a field of this request (" + String.join(", ", fields) + ")");
    }
  }

  private static String requiredText(Map<String, Object> body, String field) {
    if (!(body.get(field) instanceof String s) || s.isBlank()) throw invalid(field, "is required: a non-empty string");
    if (s.length() > MAX_TEXT) throw invalid(field, "is longer than " + MAX_TEXT + " characters");
    return s;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.invalid("invalid_request", "the request is invalid", List.of(FieldError.of(field, message)));
  }
}
