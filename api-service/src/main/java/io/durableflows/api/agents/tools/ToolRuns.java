package io.durableflows.api.agents.tools;

import io.durableflows.api.agents.Agents;
import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowDefinition.FlowEdge;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.NodeKind;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolDrafts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Work the tools registry does through Temporal, as ordinary runs of the agent's flow record (journaled, listed in
 * runs, cancellable): running one registered tool once ({@code input -> tool -> output}, the tool's approval policy
 * applying), and drafting a tool definition with the agent's model ({@code input -> llm -> output}).
 */
@Component
class ToolRuns {
  private static final int MAX_DESCRIPTION = 4000;
  private final FlowService flows;
  private final RunService runs;
  private final Json json;

  ToolRuns(FlowService flows, RunService runs, Json json) {
    this.flows = flows;
    this.runs = runs;
    this.json = json;
  }

  /** Runs the tool with {@code {"arguments": {...}}}; 202 when its approval policy makes the run wait. */
  @SuppressWarnings("unchecked")
  ResponseEntity<Map<String, Object>> run(Caller caller, Agents.Agent agent, String tool, Map<String, Object> body,
      HttpServletRequest request) {
    caller.require("runs:write");
    Object rawArguments = body.get("arguments");
    if (rawArguments != null && !(rawArguments instanceof Map)) {
      throw ApiException.badRequest("invalid_request", "arguments must be an object");
    }
    Map<String, Object> arguments = rawArguments == null ? Map.of() : (Map<String, Object>) rawArguments;
    ResolvedFlow released = flows.resolve(caller.orgId(), agent.flow().id(), null);
    Object entry = releasedTool(released, tool);
    ToolDefinition definition = ToolDefinition.parse(entry);
    List<String> violations = JsonSchemas.violations(definition.parameters(), arguments);
    if (!violations.isEmpty()) {
      throw ApiException.invalid("invalid_arguments", "the arguments do not match the tool's parameters",
          violations.stream().map(v -> FieldError.of("arguments", v)).toList());
    }
    Map<String, Object> toolData = new LinkedHashMap<>();
    toolData.put("tool", definition.name());
    toolData.put("definition", definition.toJson());
    // One placeholder naming the input: the arguments keep their JSON types and are never read as templates.
    toolData.put("arguments", "{{input.arguments}}");
    if (entry instanceof Map<?, ?> m && m.get("approval") != null) toolData.put("approval", m.get("approval"));
    FlowDefinition oneTool = oneNodeFlow(released.slug(), "run tool " + definition.name(),
        new FlowNode("tool", NodeKind.TOOL.type(), toolData, null), "arguments", "object");
    ResolvedFlow flow = new ResolvedFlow(released.flowId(), released.slug(), released.projectId(), null,
        released.version(), released.flowHistoryId(), oneTool);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("agent", agent.slug());
    metadata.put("tool", definition.name());
    RunCommand command = new RunCommand(flow.flowId(), flow.version(), Map.of("arguments", arguments), metadata,
        null, null, "agent_tool_run");
    Idempotency idempotency = Idempotency.of(request, body);
    if (AsyncRequests.requested(request)) {
      return RunResponses.accepted(runs.startInBackground(caller, flow, command, idempotency),
          Map.of("tool", definition.name()));
    }
    CompletedRun done = runs.runAndWait(caller, flow, command, idempotency);
    RunRecord record = runs.record(caller, done);
    Map<String, Object> step = done.result().steps().isEmpty() ? Map.of() : done.result().steps().getFirst();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", done.runId());
    out.put("tool", definition.name());
    out.put("status", record.status());
    out.put("arguments", step.getOrDefault("arguments", arguments));
    out.put("output", step.get("output"));
    out.put("text", done.result().text());
    if (step.get("approval") != null) out.put("approval", step.get("approval"));
    out.putAll(RunResponses.links(done.runId()));
    return ResponseEntity.ok().header("X-Run-Id", done.runId()).body(out);
  }

  /** The tool as the latest release (what chat runs) has it: 404 when it is not registered there. */
  @SuppressWarnings("unchecked")
  private static Object releasedTool(ResolvedFlow released, String tool) {
    for (FlowNode node : released.definition().nodesOfType(NodeKind.AGENT.type())) {
      if (node.data().get("tools") instanceof List<?> tools) {
        int at = ToolEntries.indexOf((List<Object>) tools, tool);
        if (at >= 0) return tools.get(at);
      }
    }
    throw ApiException.notFound("tool '" + tool + "' of agent '" + released.slug() + "'");
  }

  /**
   * Drafts a tool definition from {@code {"description": …}} with the agent's provider and model; the draft is
   * checked before it is shown: {@code {draft, valid, problems, run_id}}.
   */
  Map<String, Object> generate(Caller caller, Agents.Agent agent, Map<String, Object> body) {
    caller.require("runs:write");
    if (!(body.get("description") instanceof String description) || description.isBlank()
        || description.length() > MAX_DESCRIPTION) {
      throw ApiException.badRequest("invalid_request",
          "description is required: what the tool should do, 1 to " + MAX_DESCRIPTION + " characters");
    }
    Map<String, Object> llm = new LinkedHashMap<>();
    if (agent.data().get("provider") != null) llm.put("provider", agent.data().get("provider"));
    if (agent.data().get("model") != null) llm.put("model", agent.data().get("model"));
    llm.put("systemPrompt", ToolDrafts.SYSTEM_PROMPT);
    llm.put("prompt", "{{input.description}}");
    llm.put("temperature", 0);
    ResolvedFlow released = flows.resolve(caller.orgId(), agent.flow().id(), null);
    FlowDefinition draftFlow = oneNodeFlow(released.slug(), "draft a tool",
        new FlowNode("draft", NodeKind.LLM.type(), llm, null), "description", "string");
    ResolvedFlow flow = new ResolvedFlow(released.flowId(), released.slug(), released.projectId(), null,
        released.version(), released.flowHistoryId(), draftFlow);
    RunCommand command = new RunCommand(flow.flowId(), flow.version(), Map.of("description", description),
        Map.of("agent", agent.slug(), "purpose", "tool_generate"), null, null, "agent_tool_generate");
    CompletedRun done = runs.runAndWait(caller, flow, command, null);
    Map<String, Object> out = new LinkedHashMap<>();
    Object draft = parseDraft(done.result().text());
    List<String> problems = new ArrayList<>();
    if (draft == null) {
      problems.add("the model did not answer with a JSON object");
    } else {
      try {
        ToolEntries.check(draft);
      } catch (ApiException e) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> details = (List<Map<String, Object>>) e.body().get("details");
        for (Map<String, Object> d : details) problems.add(d.get("field") + ": " + d.get("message"));
      }
    }
    out.put("draft", draft);
    out.put("valid", problems.isEmpty());
    out.put("problems", problems);
    out.put("run_id", done.runId());
    return out;
  }

  /** The first JSON object in the model's text (code fences and prose around it are dropped), or null. */
  private Object parseDraft(String text) {
    if (text == null) return null;
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) return null;
    try {
      Object parsed = json.read(text.substring(start, end + 1));
      return parsed instanceof Map ? parsed : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code input -> work -> output}: the output's text is the work node's; the input has one variable. */
  private static FlowDefinition oneNodeFlow(String slug, String name, FlowNode work, String variable, String type) {
    Map<String, Object> var = new LinkedHashMap<>();
    var.put("name", variable);
    var.put("type", type);
    var.put("required", true);
    FlowNode input = new FlowNode("input", NodeKind.INPUT.type(), Map.of("variables", List.of(var)), null);
    FlowNode output = new FlowNode("output", NodeKind.OUTPUT.type(), Map.of("shape", "raw", "source", work.id()), null);
    return new FlowDefinition(slug, name, null, List.of(input, work, output),
        List.of(new FlowEdge("e1", "input", work.id()), new FlowEdge("e2", work.id(), "output")));
  }
}
