package io.durableflows.workflows.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.context.AgentContext;
import io.durableflows.workflows.context.ContextActivities;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextRequest;
import io.durableflows.workflows.context.ContextWorkflowImpl;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.ChatMessage.ToolRequest;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.ToolFunction;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An agent node's tool-calling loop, inside the run workflow: each model turn is an {@code LlmChat} activity and
 * each tool call a {@code ToolCall} activity (flow tools and sub-agents child workflows); the calls of one turn
 * run in parallel. Whatever goes wrong with a call the model asked for — arguments that are not JSON or break
 * the tool's schema, an unknown tool, a denial, a tool that failed after its retries — is answered back to the
 * model as the tool's result, so the model can correct itself; only cancellation ends the loop early.
 */
final class AgentLoop {
  static final int DEFAULT_MAX_STEPS = 25;
  static final int DEFAULT_TOOL_RESULT_LIMIT = 4000;
  static final String FINAL_ANSWER = "final_answer";
  static final String MAX_STEPS = "max_steps";
  /** Change id of the BuildContext activity before an agent's first turn (only agents naming skills or blocks). */
  static final String CONTEXT_CHANGE = "agent-context";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What a sub-agent's tool takes: the task, written so the sub-agent needs nothing else. */
  private static final Map<String, Object> TASK_SCHEMA = Map.of(
      "type", "object",
      "required", List.of("task"),
      "additionalProperties", false,
      "properties", Map.of("task", Map.of("type", "string", "minLength", 1,
          "description", "The task for this sub-agent, with all the context it needs")));

  /** What the loop needs from the run: people for approvals, and child runs for flow tools and sub-agents. */
  interface Host {
    HumanResolution ask(HumanRequest request);

    String newRequestId(String prefix, String nodeId);

    long now();

    /** Starts a published flow as a child run; its result's text is the tool's answer. */
    Promise<RunResult> startChild(FlowNode node, String callKey, String flow, String version,
        Map<String, Object> input);
  }

  /** How the loop ended: the final text, why it stopped, how many model turns it took, and every tool call. */
  record Outcome(String text, String stopped, int turns, List<String> toolsUsed, List<Map<String, Object>> steps) {}

  /** A tool the agent may call: a tool definition, or a sub-agent (a flow that takes the task as its message). */
  private record AgentTool(ToolDefinition definition, boolean subagent) {}

  /** One tool call's end: the text the model reads next, and the step recorded for the run. */
  private record CallOutcome(String text, Map<String, Object> step, boolean ran) {}

  private final RunRequest request;
  private final FlowInterpreter interpreter;
  private final RunJournal journal;
  private final Host host;

  AgentLoop(RunRequest request, FlowInterpreter interpreter, RunJournal journal, Host host) {
    this.request = request;
    this.interpreter = interpreter;
    this.journal = journal;
    this.host = host;
  }

  Outcome run(FlowNode node) {
    Map<String, Object> d = node.data();
    int maxSteps = d.get("maxSteps") instanceof Number n ? n.intValue() : DEFAULT_MAX_STEPS;
    int resultLimit = d.get("toolResultLimit") instanceof Number n ? n.intValue() : DEFAULT_TOOL_RESULT_LIMIT;
    boolean parallel = !Boolean.FALSE.equals(d.get("parallelToolCalls"));
    Map<String, AgentTool> tools = tools(d);
    List<ToolFunction> functions = tools.values().stream()
        .map(t -> new ToolFunction(t.definition().name(), t.definition().description(), t.definition().parameters()))
        .toList();
    List<ChatMessage> messages = new ArrayList<>(withContext(node, interpreter.agentMessages(node)));
    List<Map<String, Object>> steps = new ArrayList<>();
    LinkedHashSet<String> used = new LinkedHashSet<>();
    String lastText = "";
    for (int turn = 1; turn <= maxSteps; turn++) {
      LlmChatReply reply = callModel(node, messages, functions, turn);
      interpreter.recordAgentTurn(node, reply.reply(), turn);
      lastText = reply.reply().text() == null ? "" : reply.reply().text();
      if (reply.toolCalls().isEmpty()) {
        return new Outcome(lastText, FINAL_ANSWER, turn, List.copyOf(used), steps);
      }
      messages.add(ChatMessage.assistant(lastText, reply.toolCalls()));
      List<CallOutcome> outcomes = callTools(node, tools, reply.toolCalls(), turn, parallel);
      for (int i = 0; i < outcomes.size(); i++) {
        ToolRequest call = reply.toolCalls().get(i);
        CallOutcome outcome = outcomes.get(i);
        if (outcome.ran()) used.add(call.name());
        steps.add(outcome.step());
        messages.add(ChatMessage.tool(call.id(), call.name(), truncate(outcome.text(), resultLimit)));
      }
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", MAX_STEPS);
    status.put("max_steps", maxSteps);
    journal.append(RunEvent.STATUS, node.id(), status);
    String text = "The agent stopped after " + maxSteps + " steps without a final answer."
        + (lastText.isBlank() ? "" : " Its last message: " + lastText);
    return new Outcome(text, MAX_STEPS, maxSteps, List.copyOf(used), steps);
  }

  /**
   * The first messages with the node's skills and blocks appended to its system prompt, rendered by one
   * {@code BuildContext} activity; unchanged (and no activity) when the node names none. Static blocks take their
   * {@code {{variables}}} from the run's input.
   */
  private List<ChatMessage> withContext(FlowNode node, List<ChatMessage> messages) {
    Map<String, Object> d = node.data();
    ContextRequest context = new ContextRequest(request.orgCode(), request.runId(), names(d.get("skills")),
        names(d.get("promptBlocks")), names(d.get("contextBlocks")), request.input(), ContextRequest.Mode.BUILD);
    if (!AgentContext.needed(context)
        || Workflow.getVersion(CONTEXT_CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return messages;
    }
    ContextBlocks blocks = Workflow.newActivityStub(ContextActivities.class,
        ActivityOptions.newBuilder(ContextWorkflowImpl.OPTIONS).setSummary("context for agent " + node.id()).build())
        .build(context);
    if (blocks.text().isBlank()) return messages;
    // The node's own system prompt, when it has one, comes first; a memory summary after it is history.
    boolean ownSystem = !messages.isEmpty() && ChatMessage.SYSTEM.equals(messages.get(0).role())
        && d.get("systemPrompt") instanceof String sp && !sp.isBlank();
    String base = ownSystem ? messages.get(0).content() : "";
    List<ChatMessage> rest = new ArrayList<>(ownSystem ? messages.subList(1, messages.size()) : messages);
    List<ChatMessage> out = new ArrayList<>();
    out.add(ChatMessage.system(AgentContext.systemPrompt(base, blocks)));
    out.addAll(rest);
    return out;
  }

  private static List<String> names(Object value) {
    return value instanceof List<?> list
        ? list.stream().filter(String.class::isInstance).map(String.class::cast).distinct().toList()
        : List.of();
  }

  /** A turn's tool calls, in parallel unless the node says otherwise; outcomes in the order the model asked. */
  private List<CallOutcome> callTools(FlowNode node, Map<String, AgentTool> tools, List<ToolRequest> calls, int turn,
      boolean parallel) {
    List<CallOutcome> outcomes = new ArrayList<>();
    if (!parallel || calls.size() == 1) {
      for (int i = 0; i < calls.size(); i++) {
        outcomes.add(callTool(node, tools, calls.get(i), interpreter.toolCallKey(node, turn, i + 1), turn));
      }
      return outcomes;
    }
    List<Promise<CallOutcome>> pending = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      ToolRequest call = calls.get(i);
      String key = interpreter.toolCallKey(node, turn, i + 1);
      pending.add(Async.function(() -> callTool(node, tools, call, key, turn)));
    }
    for (Promise<CallOutcome> p : pending) outcomes.add(p.get());
    return outcomes;
  }

  /** The agent's tools by name: its tool definitions, then its sub-agents. */
  private static Map<String, AgentTool> tools(Map<String, Object> d) {
    Map<String, AgentTool> tools = new LinkedHashMap<>();
    if (d.get("tools") instanceof List<?> list) {
      for (Object raw : list) {
        ToolDefinition t = ToolDefinition.parse(raw);
        tools.put(t.name(), new AgentTool(t, false));
      }
    }
    if (d.get("subagents") instanceof List<?> list) {
      for (Object raw : list) {
        Map<?, ?> sub = (Map<?, ?>) raw;
        String name = (String) sub.get("name");
        tools.put(name, new AgentTool(new ToolDefinition(name, (String) sub.get("description"), ToolDefinition.FLOW,
            TASK_SCHEMA, null, null, (String) sub.get("flow"), (String) sub.get("version")), true));
      }
    }
    return tools;
  }

  private LlmChatReply callModel(FlowNode node, List<ChatMessage> messages, List<ToolFunction> functions, int turn) {
    var call = interpreter.agentTurn(node, List.copyOf(messages), functions, turn);
    LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, ActivityPolicies.llm("agent " + node.id()
        + " turn " + turn + " (" + ActivityPolicies.modelTarget(call.provider(), call.model()) + ")"));
    return journal.streamed(node.id(), () -> llm.chat(call));
  }

  /** One tool call the model asked for, from its raw arguments to the text the model reads next. */
  private CallOutcome callTool(FlowNode node, Map<String, AgentTool> tools, ToolRequest asked, String key, int turn) {
    AgentTool tool = tools.get(asked.name());
    if (tool == null) {
      return refused(node, asked, turn, "UnknownTool", "there is no tool named '" + asked.name()
          + "'; the tools are: " + String.join(", ", tools.keySet()));
    }
    Map<String, Object> arguments;
    try {
      arguments = parseArguments(asked.arguments());
    } catch (IllegalArgumentException e) {
      return refused(node, asked, turn, "InvalidToolArguments", "the arguments are not a JSON object ("
          + e.getMessage() + "); call the tool again with a JSON object that matches its schema");
    }
    ToolDefinition definition = tool.definition();
    List<String> violations = FlowInterpreter.schemaViolations(definition.parameters(), arguments);
    if (!violations.isEmpty()) {
      return refused(node, asked, turn, "InvalidToolArguments", "the arguments do not match the tool's schema: "
          + String.join("; ", violations));
    }
    ToolCall call = new ToolCall(request.runId(), node.id(), definition.name(), arguments, key, definition);
    HumanResolution approval = null;
    HumanRequest ask = interpreter.approvalRequest(node, call, definition, definition.approvalPolicy(), null,
        host.newRequestId("apr", node.id()), host.now());
    if (ask != null) {
      approval = host.ask(ask);
      if (!approval.approved()) {
        String text = "A person did not approve this call (" + approval.status() + ")"
            + (approval.comment() == null || approval.comment().isBlank() ? "" : ": " + approval.comment())
            + ". Do not call it again with the same arguments.";
        return new CallOutcome(text, step(node, asked, turn, call.arguments(), null, approval), false);
      }
      call = call.withArguments(approval.arguments());
    }
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("name", call.tool());
    started.put("call_id", asked.id());
    started.put("arguments", call.arguments());
    started.put("idempotency_key", key);
    journal.append(RunEvent.TOOL_CALL, node.id(), started);
    long begun = Workflow.currentTimeMillis();
    ToolResult result;
    try {
      result = tool.subagent() || ToolDefinition.FLOW.equals(definition.kind())
          ? childResult(node, key, definition, tool.subagent(), call.arguments(), begun)
          : toolStub(node, definition).call(call);
    } catch (ActivityFailure | ChildWorkflowFailure | ApplicationFailure failure) {
      // A child run that could not start fails with the preparing activity's failure or its own.
      if (failure.getCause() instanceof CanceledFailure) throw failure;
      ApplicationFailure cause = FlowRunWorkflowImpl.rootApplicationFailure(failure);
      String type = cause == null ? "ToolFailed" : cause.getType();
      String message = cause == null ? failure.getMessage() : cause.getOriginalMessage();
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("name", call.tool());
      done.put("call_id", asked.id());
      done.put("error", type);
      done.put("message", message);
      journal.append(RunEvent.TOOL_RESULT, node.id(), done);
      Map<String, Object> step = step(node, asked, turn, call.arguments(), null, approval);
      step.put("error", Map.of("type", type, "message", message));
      return new CallOutcome("The tool failed (" + type + "): " + message, step, true);
    }
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("name", call.tool());
    done.put("call_id", asked.id());
    done.put("output", result.output());
    done.put("text", result.text());
    done.put("duration_ms", result.durationMs());
    done.put("ui_blocks", uiBlocks(call.tool(), result));
    journal.append(RunEvent.TOOL_RESULT, node.id(), done);
    return new CallOutcome(result.text(), step(node, asked, turn, call.arguments(), result, approval), true);
  }

  private ToolResult childResult(FlowNode node, String key, ToolDefinition definition, boolean subagent,
      Map<String, Object> arguments, long begun) {
    Map<String, Object> input = subagent ? Map.of("message", arguments.get("task")) : arguments;
    RunResult child = host.startChild(node, key, definition.flow(), definition.version(), input).get();
    interpreter.addChildUsage(child);
    String text = child.text() == null ? "" : child.text();
    return new ToolResult(child.output(), text, Workflow.currentTimeMillis() - begun, child.runId(), 1, false);
  }

  private static ToolActivities toolStub(FlowNode node, ToolDefinition definition) {
    return Workflow.newActivityStub(ToolActivities.class,
        ActivityPolicies.tool("agent " + node.id() + ": " + definition.name() + " (" + definition.kind() + " tool)"));
  }

  /** A call refused before it ran: the model reads why, and the run's event log and steps show it too. */
  private CallOutcome refused(FlowNode node, ToolRequest asked, int turn, String type, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", "tool_refused");
    data.put("name", asked.name());
    data.put("call_id", asked.id());
    data.put("error", type);
    data.put("message", message);
    journal.append(RunEvent.STATUS, node.id(), data);
    Map<String, Object> step = step(node, asked, turn, null, null, null);
    step.put("raw_arguments", asked.arguments());
    step.put("error", Map.of("type", type, "message", message));
    return new CallOutcome("Error (" + type + "): " + message, step, false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parseArguments(String raw) {
    String text = raw == null || raw.isBlank() ? "{}" : raw;
    Object parsed;
    try {
      parsed = JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage());
    }
    if (!(parsed instanceof Map<?, ?> map)) throw new IllegalArgumentException("got " + text);
    return (Map<String, Object>) map;
  }

  /** 001's {@code aiMessage.steps} entry for one call, with the turn and the model's id for the call. */
  private static Map<String, Object> step(FlowNode node, ToolRequest asked, int turn, Map<String, Object> arguments,
      ToolResult result, HumanResolution approval) {
    Map<String, Object> step = FlowInterpreter.step(node, asked.name(), arguments, result, approval);
    step.put("turn", turn);
    step.put("call_id", asked.id());
    return step;
  }

  /** 003's {@code ui_blocks}: a card with the tool's answer, shortened for display. */
  private static List<Map<String, Object>> uiBlocks(String tool, ToolResult result) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("type", "card");
    card.put("title", tool);
    card.put("body", truncate(result.text() == null ? "" : result.text(), 1000));
    return List.of(card);
  }

  /** What the model reads of a long result; the whole result stays in the call journal and the run's steps. */
  static String truncate(String text, int limit) {
    if (text == null) return "";
    if (text.length() <= limit) return text;
    return text.substring(0, limit) + "\n[truncated: " + limit + " of " + text.length()
        + " characters shown; the full result is stored with the run]";
  }
}
