package io.durableflows.workflows.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.flow.Conditions;
import io.durableflows.workflows.flow.Durations;
import io.durableflows.workflows.flow.FlowDefinition.FlowEdge;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.FlowGraph;
import io.durableflows.workflows.flow.NodeKind;
import io.durableflows.workflows.flow.Templates;
import io.durableflows.workflows.flow.Templates.NodeOutput;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.ToolFunction;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.memory.ConversationTurn;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.UserText;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.store.LlmCallRecord;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolApprovalPolicy;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deterministic part of a run: node order, branches, templating, output shaping and usage accounting. The
 * workflow feeds it activity results and people's answers; it never does I/O itself, so the same history always
 * yields the same result.
 */
final class FlowInterpreter {
  static final String DENIED = "denied";
  /** The branch a switch takes when no case matches. */
  static final String DEFAULT_BRANCH = "default";
  static final String CONDITION_FAILED = "ConditionFailed";
  static final String NO_CASE_MATCHED = "NoCaseMatched";
  static final String MAP_ITEMS_NOT_A_LIST = "MapItemsNotAList";
  static final String MAP_ITEM_FAILED = "MapItemFailed";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RunRequest request;
  private final FlowGraph graph;
  private final Map<String, Object> context = new LinkedHashMap<>();
  private final List<LlmCallRecord> calls = new ArrayList<>();
  private final Map<String, LlmReply> replies = new LinkedHashMap<>();
  private final List<Map<String, Object>> steps = new ArrayList<>();
  /** Nodes that ran (input nodes included), and the branch each branching node took. */
  private final Set<String> ran = new HashSet<>();
  private final Map<String, String> branches = new HashMap<>();
  /** The messages each memory node that ran hands on, by node id. */
  private final Map<String, List<ChatMessage>> memories = new HashMap<>();
  private Usage usage = Usage.ZERO;
  private double cost;
  private String lastText = "";
  private String lastNode;

  FlowInterpreter(RunRequest request) {
    this.request = request;
    this.graph = new FlowGraph(request.flow());
    context.put("input", request.input());
  }

  List<FlowNode> order() {
    return graph.order().orElseThrow(() -> new IllegalStateException("flow has a cycle"));
  }

  /**
   * Whether a node runs: the output always does; any other node when it has no incoming edge or one of its
   * incoming edges comes from a node that ran and lies on the branch that node took. Flows without branching
   * nodes run every node.
   */
  boolean shouldRun(FlowNode node) {
    if (NodeKind.OUTPUT.type().equals(node.type())) return true;
    List<FlowEdge> in = graph.edgesInto(node.id());
    if (in.isEmpty()) return true;
    for (FlowEdge edge : in) {
      if (ran.contains(edge.source()) && onTakenBranch(edge)) return true;
    }
    return false;
  }

  private boolean onTakenBranch(FlowEdge edge) {
    String taken = branches.get(edge.source());
    if (taken == null) return true;
    // A switch takes exactly the edges that name its case (or "default").
    if (isSwitch(edge.source())) return taken.equals(edge.sourceHandle());
    return DENIED.equals(taken) == DENIED.equals(edge.sourceHandle());
  }

  void markRan(FlowNode node) {
    ran.add(node.id());
  }

  /** Why a node is skipped, for the run's event log. */
  String skipReason(FlowNode node) {
    for (FlowEdge edge : graph.edgesInto(node.id())) {
      String taken = branches.get(edge.source());
      if (taken != null) return "node '" + edge.source() + "' took its " + taken + " branch";
    }
    return "no node leading to it ran";
  }

  LlmCall llmCall(FlowNode node) {
    return modelCall(node, context, request.stream(), callKey(node), history(node));
  }

  /** A node's model call: its model settings, and its prompts rendered over {@code scope}. */
  private LlmCall modelCall(FlowNode node, Map<String, Object> scope, boolean stream, String key,
      List<ChatMessage> history) {
    Map<String, Object> d = node.data();
    return new LlmCall(
        request.runId(),
        node.id(),
        (String) d.get("provider"),
        (String) d.get("model"),
        d.get("systemPrompt") == null ? null : Templates.render((String) d.get("systemPrompt"), scope),
        Templates.render((String) d.get("prompt"), scope),
        d.get("temperature") instanceof Number t ? t.doubleValue() : null,
        d.get("maxTokens") instanceof Number m ? m.intValue() : null,
        stream,
        key,
        history);
  }

  /**
   * The conversation history a node gets from the memory nodes with an edge to it (in edge order; null when
   * none does): what an llm node, or an agent node, sends between its system prompt and its prompt.
   */
  List<ChatMessage> history(FlowNode node) {
    List<ChatMessage> history = null;
    for (FlowEdge edge : graph.edgesInto(node.id())) {
      List<ChatMessage> messages = memories.get(edge.source());
      if (messages == null || !onTakenBranch(edge)) continue;
      if (history == null) history = new ArrayList<>();
      history.addAll(messages);
    }
    return history == null ? null : List.copyOf(history);
  }

  /** The session of the run (null: none): whose history memory nodes load. */
  String sessionId() {
    return request.sessionId();
  }

  String orgCode() {
    return request.orgCode();
  }

  /**
   * A memory node's outcome: its messages go to the llm nodes it leads to; {@code {{memory}}} is the transcript,
   * {@code {{memory.messages}}} the messages, {@code {{memory.count}}} how many.
   */
  String recordMemory(FlowNode node, List<ChatMessage> messages, boolean compacted) {
    memories.put(node.id(), List.copyOf(messages));
    String text = MemoryPrompts.transcript(messages);
    List<Map<String, Object>> views = new ArrayList<>();
    for (ChatMessage m : messages) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("role", m.role());
      view.put("content", m.content());
      views.add(view);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", text);
    fields.put("messages", views);
    fields.put("count", messages.size());
    fields.put("compacted", compacted);
    context.put(node.id(), new NodeOutput(text, fields));
    remember(node, text);
    return text;
  }

  /** A compaction's model call counts in the run's usage and cost like any other. */
  void recordSummaryCall(FlowNode node, Summary summary) {
    calls.add(new LlmCallRecord(node.id(), summary.provider(), summary.model(), summary.usage(), summary.costUsd(),
        0, null, 0, request.runId() + "/" + node.id() + "/summary"));
    usage = usage.plus(summary.usage());
    cost += summary.costUsd();
  }

  /** What a completed run adds to its session's conversation (null without a session). */
  ConversationTurn turn(RunResult result) {
    if (request.sessionId() == null || result == null) return null;
    return new ConversationTurn(request.sessionId(), UserText.of(request.input()), result.text());
  }

  /** The same for every attempt of a node's call, unique across runs: what the call journal is keyed by. */
  private String callKey(FlowNode node) {
    return request.runId() + "/" + node.id() + "/1";
  }

  void recordLlm(FlowNode node, LlmReply reply) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", reply.text());
    fields.put("model", reply.model());
    fields.put("provider", reply.provider());
    fields.put("finish_reason", reply.finishReason());
    fields.put("usage", reply.usage().fields());
    Object json = parseJson(reply.text());
    if (json != null) fields.put("json", json);
    context.put(node.id(), new NodeOutput(reply.text(), fields));
    replies.put(node.id(), reply);
    calls.add(new LlmCallRecord(node.id(), reply.provider(), reply.model(), reply.usage(), reply.costUsd(),
        reply.durationMs(), reply.activityId(), reply.attempt(), callKey(node)));
    usage = usage.plus(reply.usage());
    cost += reply.costUsd();
    remember(node, reply.text());
  }

  /** A model answer that is a JSON object or array, so {@code {{node.json}}} hands it on with its types. */
  private static Object parseJson(String text) {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("```")) {
      t = t.replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", "");
    }
    if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) return null;
    try {
      return JSON.readValue(t, Object.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Renders a template node and returns its text. */
  String runTemplate(FlowNode node) {
    Object json = node.data().get("json");
    if (json != null) {
      Object value = Templates.renderJson(json, context);
      context.put(node.id(), new NodeOutput(value, Map.of("json", value)));
      remember(node, Templates.render("{{" + node.id() + "}}", context));
    } else {
      String text = Templates.render((String) node.data().get("template"), context);
      context.put(node.id(), new NodeOutput(text, Map.of("text", text)));
      remember(node, text);
    }
    return lastText;
  }

  // ------------------------------------------------------------------------------------------ people

  HumanRequest approvalRequest(FlowNode node, String id, long now) {
    Map<String, Object> d = node.data();
    Object ctx = d.get("context") == null ? null : Templates.renderJson(d.get("context"), context);
    return new HumanRequest(id, HumanRequest.APPROVAL, node.id(), Templates.render((String) d.get("message"), context),
        ctx, null, null, null, null, null, null, null, timeoutDecision(d), null, now, expiry(d, now));
  }

  @SuppressWarnings("unchecked")
  HumanRequest questionRequest(FlowNode node, String id, long now) {
    Map<String, Object> d = node.data();
    String type = d.get("answerType") instanceof String t ? t : "text";
    return new HumanRequest(id, HumanRequest.QUESTION, node.id(), Templates.render((String) d.get("question"), context),
        null, null, null, null, null, type, d.get("choices") instanceof List<?> c ? List.copyOf((List<String>) c) : null,
        d.get("schema") instanceof Map<?, ?> s ? (Map<String, Object>) s : null, null, d.get("timeoutAnswer"), now,
        expiry(d, now));
  }

  private static String timeoutDecision(Map<String, Object> d) {
    return HumanAnswer.APPROVE.equals(d.get("timeoutDecision")) ? HumanAnswer.APPROVE : HumanAnswer.DENY;
  }

  private static Long expiry(Map<String, Object> d, long now) {
    return Durations.parse(d.get("timeout")).map(t -> now + t.toMillis()).orElse(null);
  }

  /** An approval node's outcome: its text says who decided what, and its branch follows the decision. */
  String recordApproval(FlowNode node, HumanResolution r) {
    String text = switch (r.status()) {
      case HumanResolution.APPROVED -> "Approved" + by(r) + comment(r);
      case HumanResolution.DENIED -> "Denied" + by(r) + comment(r);
      case HumanResolution.CANCELLED -> "Cancelled" + by(r) + comment(r) + " (denied)";
      default -> "No decision before the timeout: " + (r.approved() ? "approved" : "denied") + " by default";
    };
    context.put(node.id(), new NodeOutput(text, resolutionFields(r, text)));
    branches.put(node.id(), r.approved() ? "approved" : DENIED);
    remember(node, text);
    return text;
  }

  /** A question's answer; a question that expired with no timeout answer fails the node. */
  String recordAnswer(FlowNode node, HumanRequest question, HumanResolution r) {
    if (r.answer() == null) {
      throw new NodeError("QuestionExpired", "question " + question.id() + " expired unanswered");
    }
    String text = Templates.render("{{v}}", Map.of("v", r.answer()));
    Map<String, Object> fields = resolutionFields(r, text);
    fields.put("answer", r.answer());
    context.put(node.id(), new NodeOutput(r.answer(), fields));
    remember(node, text);
    return text;
  }

  private static Map<String, Object> resolutionFields(HumanResolution r, String text) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", text);
    fields.put("status", r.status());
    if (r.decision() != null) {
      fields.put("decision", r.approved() ? "approved" : DENIED);
      fields.put("approved", r.approved());
    }
    fields.put("comment", r.comment());
    fields.put("responder", r.responderName());
    return fields;
  }

  private static String by(HumanResolution r) {
    return r.responderName() == null ? "" : " by " + r.responderName();
  }

  private static String comment(HumanResolution r) {
    return r.comment() == null || r.comment().isBlank() ? "" : ": " + r.comment();
  }

  // ------------------------------------------------------------------------------------------ tools

  /** The tool call a tool node makes, its arguments rendered and checked against the tool's schema. */
  @SuppressWarnings("unchecked")
  ToolCall toolCall(FlowNode node) {
    ToolDefinition definition = toolOf(node);
    String name = definition.name();
    Object rendered = node.data().get("arguments") == null
        ? Map.of() : Templates.renderJson(node.data().get("arguments"), context);
    if (!(rendered instanceof Map<?, ?> arguments)) {
      throw new NodeError(ToolFailures.INVALID_ARGUMENTS, "the arguments of tool '" + name + "' must be an object, got "
          + Templates.render("{{v}}", Map.of("v", String.valueOf(rendered))));
    }
    List<String> violations = schemaViolations(definition.parameters(), arguments);
    if (!violations.isEmpty()) {
      throw new NodeError(ToolFailures.INVALID_ARGUMENTS,
          "the arguments of tool '" + name + "' do not match its schema: " + String.join("; ", violations));
    }
    // A built-in named by the node travels by name alone, as in histories recorded before definitions existed.
    return new ToolCall(request.runId(), node.id(), name, (Map<String, Object>) arguments, callKey(node),
        node.data().get("definition") == null ? null : definition);
  }

  /**
   * A schema check inside workflow code: the first one in a worker loads and compiles the schema library, which on
   * a busy machine can hold the workflow thread past Temporal's deadlock detector without anything being stuck.
   */
  static List<String> schemaViolations(Object schema, Object value) {
    return WorkflowUnsafe.deadlockDetectorOff(() -> JsonSchemas.violations(schema, value));
  }

  /** A tool node's tool: its definition, else the built-in it names. */
  private static ToolDefinition toolOf(FlowNode node) {
    if (node.data().get("definition") != null) return ToolDefinition.parse(node.data().get("definition"));
    String name = (String) node.data().get("tool");
    return BuiltInTools.find(name).map(ToolDefinition::builtIn)
        .orElseThrow(() -> new NodeError(ToolFailures.UNKNOWN_TOOL, "no tool named '" + name + "'"));
  }

  /** Whether the call needs a person's approval first, and the request to ask with if so. */
  HumanRequest toolApproval(FlowNode node, ToolCall call, String id, long now) {
    ToolDefinition definition = toolOf(node);
    ToolApprovalPolicy policy = node.data().get("approval") != null
        ? ToolApprovalPolicy.parse(node.data().get("approval"), ToolApprovalPolicy.NEVER_POLICY)
        : definition.approvalPolicy();
    Map<String, Object> d = node.data();
    String message = d.get("approvalMessage") instanceof String m ? Templates.render(m, context) : null;
    return approvalRequest(node, call, definition, policy, message, id, now);
  }

  /**
   * The approval request for a tool call when its policy asks for one (null otherwise). The node's timeout and
   * timeout decision apply; {@code message} defaults to naming the tool and its arguments.
   */
  HumanRequest approvalRequest(FlowNode node, ToolCall call, ToolDefinition definition, ToolApprovalPolicy policy,
      String message, String id, long now) {
    ToolApprovalPolicy.Evaluation evaluation = policy.evaluate(call.arguments());
    if (!evaluation.required()) return null;
    Map<String, Object> d = node.data();
    String ask = message != null ? message
        : "Run tool '" + call.tool() + "' with " + Templates.render("{{v}}", Map.of("v", call.arguments())) + "?";
    return new HumanRequest(id, HumanRequest.APPROVAL, node.id(), ask, null, call.tool(), call.arguments(),
        definition.parameters(), evaluation.reason(), null, null, null, timeoutDecision(d), null, now, expiry(d, now));
  }

  /** A tool call a person denied: the node's text says so, and its denied branch is taken. */
  String recordToolDenied(FlowNode node, ToolCall call, HumanResolution r) {
    String text = "Tool call '" + call.tool() + "' "
        + (HumanResolution.EXPIRED.equals(r.status()) ? "not approved before the timeout" : r.status() + by(r))
        + comment(r);
    Map<String, Object> fields = resolutionFields(r, text);
    fields.put("tool", call.tool());
    fields.put("arguments", call.arguments());
    context.put(node.id(), new NodeOutput(text, fields));
    branches.put(node.id(), DENIED);
    steps.add(step(node, call.tool(), call.arguments(), null, r));
    remember(node, text);
    return text;
  }

  String recordTool(FlowNode node, String tool, Map<String, Object> arguments, ToolResult result,
      HumanResolution approval) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", result.text());
    fields.put("output", result.output());
    fields.put("tool", tool);
    fields.put("arguments", arguments);
    fields.put("status", approval == null ? "not_required" : approval.status());
    context.put(node.id(), new NodeOutput(result.output(), fields));
    // The tool ran, with or without asking: its denied branch is not taken either way.
    branches.put(node.id(), "approved");
    steps.add(step(node, tool, arguments, result, approval));
    remember(node, result.text());
    return result.text();
  }

  /** 001's {@code aiMessage.steps}: the tool calls of the run and what they returned. */
  static Map<String, Object> step(FlowNode node, String tool, Map<String, Object> arguments,
      ToolResult result, HumanResolution approval) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("type", "tool_call");
    step.put("node", node.id());
    step.put("tool", tool);
    step.put("arguments", arguments);
    step.put("output", result == null ? null : result.output());
    if (approval != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("approval_id", approval.requestId());
      a.put("status", approval.status());
      a.put("responder", approval.responderName());
      a.put("arguments_modified", approval.argumentsModified());
      step.put("approval", a);
    }
    return step;
  }

  // ------------------------------------------------------------------------------------------ graph nodes

  private boolean isSwitch(String nodeId) {
    FlowNode node = graph.flow().node(nodeId);
    return node != null && NodeKind.SWITCH.type().equals(node.type());
  }

  /**
   * A switch node: the first case whose CEL condition holds over {@code input} and the earlier nodes' fields, else
   * {@code default}; its edges naming that case are the branch taken.
   */
  @SuppressWarnings("unchecked")
  String runSwitch(FlowNode node) {
    Map<String, Object> nodes = new LinkedHashMap<>();
    context.forEach((id, value) -> {
      if (value instanceof NodeOutput out) nodes.put(id, out.fields());
    });
    // Earlier nodes that did not run (on a branch not taken) are null, so `node == null` can test for them.
    Set<String> earlier = graph.ancestors(node.id());
    for (FlowNode n : order()) {
      if (earlier.contains(n.id()) && !NodeKind.INPUT.type().equals(n.type())) {
        nodes.putIfAbsent(n.id(), null);
      }
    }
    String taken = null;
    for (Object c : (List<Object>) node.data().get("cases")) {
      Map<String, Object> aCase = (Map<String, Object>) c;
      String id = (String) aCase.get("id");
      try {
        String when = (String) aCase.get("when");
        // The first condition a worker compiles loads CEL (a second or more): pure work the deadlock detector
        // would take for a stuck workflow thread.
        if (WorkflowUnsafe.deadlockDetectorOff(() -> Conditions.test(when, request.input(), nodes))) {
          taken = id;
          break;
        }
      } catch (Conditions.ConditionException e) {
        throw new NodeError(CONDITION_FAILED, "the condition of case '" + id + "' failed: " + e.getMessage());
      }
    }
    if (taken == null) {
      if (Boolean.FALSE.equals(node.data().get("default"))) {
        throw new NodeError(NO_CASE_MATCHED, "no case matched and the switch has no default branch");
      }
      taken = DEFAULT_BRANCH;
    }
    branches.put(node.id(), taken);
    context.put(node.id(), new NodeOutput(taken, Map.of("case", taken, "text", taken)));
    return taken;
  }

  /**
   * The nodes a parallel node runs concurrently, in topological order: those on its branches up to where the
   * branches meet (the first node every branch reaches, the output at the latest), less any node that also waits on
   * a node outside the region which has not run yet (the run gets to those afterwards, in order).
   */
  List<FlowNode> parallelRegion(FlowNode parallel, Set<String> processed) {
    List<FlowNode> order = order();
    Set<String> common = null;
    Set<String> reach = new HashSet<>();
    for (String s : graph.successors(parallel.id())) {
      Set<String> fromHere = new HashSet<>(graph.descendants(s));
      fromHere.add(s);
      reach.addAll(fromHere);
      if (common == null) {
        common = fromHere;
      } else {
        common.retainAll(fromHere);
      }
    }
    if (common == null) return List.of();
    String join = null;
    for (FlowNode n : order) {
      if (common.contains(n.id())) {
        join = n.id();
        break;
      }
    }
    Set<String> beyond = join == null ? Set.of() : new HashSet<>(graph.descendants(join));
    if (join != null) beyond.add(join);
    Set<String> before = new HashSet<>(processed);
    for (FlowNode n : order) {
      if (n.id().equals(parallel.id())) break;
      before.add(n.id());
    }
    before.add(parallel.id());
    List<FlowNode> region = new ArrayList<>();
    Set<String> inRegion = new HashSet<>();
    for (FlowNode n : order) {
      if (!reach.contains(n.id()) || beyond.contains(n.id())) continue;
      boolean ready = graph.predecessors(n.id()).stream().allMatch(p -> inRegion.contains(p) || before.contains(p));
      if (ready) {
        region.add(n);
        inRegion.add(n.id());
      }
    }
    return region;
  }

  List<String> successors(FlowNode node) {
    return graph.successors(node.id());
  }

  List<String> predecessors(FlowNode node) {
    return graph.predecessors(node.id());
  }

  /** A parallel node leaves the list of its branches; it has no text of its own. */
  void recordParallel(FlowNode node, List<String> branchesRun) {
    context.put(node.id(), new NodeOutput(branchesRun, Map.of("branches", branchesRun)));
  }

  /** The rendered input of a subflow node (or of one map item, with {@code item} and {@code index}). */
  @SuppressWarnings("unchecked")
  Map<String, Object> childInput(FlowNode node, Map<String, Object> scope) {
    Object template = node.data().get("input");
    if (template == null) return Map.of();
    Object rendered = Templates.renderJson(template, scope);
    if (!(rendered instanceof Map<?, ?> map)) {
      throw new NodeError(ChildRunFailure.INVALID_INPUT, "the input of node '" + node.id()
          + "' must render to an object, got " + Templates.render("{{v}}", Map.of("v", String.valueOf(rendered))));
    }
    return (Map<String, Object>) map;
  }

  Map<String, Object> childInput(FlowNode node) {
    return childInput(node, context);
  }

  /**
   * A completed child run's usage and cost count in this run's too, so the run that was asked for (and the credit
   * hold it took) answers for the sub-flows, map items, flow tools and sub-agents it started.
   */
  void addChildUsage(RunResult child) {
    if (child.usage() != null) usage = usage.plus(child.usage());
    cost += child.costUsd();
  }

  /** A subflow node leaves the child's output as its value, and its text. */
  String recordSubflow(FlowNode node, String childRunId, RunResult result) {
    addChildUsage(result);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", result.text());
    fields.put("output", result.output());
    fields.put("run_id", childRunId);
    Object json = result.output() instanceof String text ? parseJson(text) : result.output();
    if (json != null) fields.put("json", json);
    context.put(node.id(), new NodeOutput(result.output(), fields));
    remember(node, result.text() == null ? "" : result.text());
    return lastText;
  }

  /** The items a map node runs over. */
  List<Object> mapItems(FlowNode node) {
    Object items = Templates.renderJson(node.data().get("items"), context);
    if (!(items instanceof List<?> list)) {
      throw new NodeError(MAP_ITEMS_NOT_A_LIST, "the items of map node '" + node.id() + "' must be a list, got "
          + (items == null ? "nothing" : Templates.render("{{v}}", Map.of("v", items))));
    }
    return new ArrayList<>(list);
  }

  /** The template scope of one item: the run's context plus {@code item} and {@code index} (from 0). */
  Map<String, Object> itemScope(Object item, int index) {
    Map<String, Object> scope = new LinkedHashMap<>(context);
    scope.put("item", item);
    scope.put("index", index);
    return scope;
  }

  /** The model call of one item of a map node with a prompt. */
  LlmCall mapItemCall(FlowNode node, Object item, int index) {
    return modelCall(node, itemScope(item, index), false, request.runId() + "/" + node.id() + "#" + index + "/1",
        null);
  }


  /** Accounts one item's model call (usage, cost, the call ledger); the item's value is its text. */
  Object recordMapItemReply(FlowNode node, int index, LlmReply reply) {
    calls.add(new LlmCallRecord(node.id(), reply.provider(), reply.model(), reply.usage(), reply.costUsd(),
        reply.durationMs(), reply.activityId(), reply.attempt(), request.runId() + "/" + node.id() + "#" + index + "/1"));
    usage = usage.plus(reply.usage());
    cost += reply.costUsd();
    replies.putIfAbsent(node.id(), reply);
    return reply.text();
  }

  /** A map node leaves the list of item results, in input order; its text is that list as JSON. */
  String recordMap(FlowNode node, List<Object> results, List<Map<String, Object>> errors) {
    String text = Templates.render("{{v}}", Map.of("v", results));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", text);
    fields.put("json", results);
    fields.put("items", results);
    fields.put("count", results.size());
    fields.put("errors", errors);
    context.put(node.id(), new NodeOutput(results, fields));
    remember(node, text);
    return text;
  }

  // ------------------------------------------------------------------------------------------ agents

  /**
   * The conversation an agent starts with: its system prompt, the history of memory nodes leading to it, then its
   * rendered prompt as the user's turn.
   */
  List<ChatMessage> agentMessages(FlowNode node) {
    Map<String, Object> d = node.data();
    List<ChatMessage> messages = new ArrayList<>();
    String system = d.get("systemPrompt") instanceof String sp ? Templates.render(sp, context) : "";
    if (!system.isBlank()) messages.add(ChatMessage.system(system));
    List<ChatMessage> history = history(node);
    if (history != null) messages.addAll(history);
    messages.add(ChatMessage.user(Templates.render((String) d.get("prompt"), context)));
    return messages;
  }

  /** One model turn of an agent; each turn has its own journal key, the same on every attempt. */
  LlmChatCall agentTurn(FlowNode node, List<ChatMessage> messages, List<ToolFunction> tools, int turn) {
    Map<String, Object> d = node.data();
    return new LlmChatCall(request.runId(), node.id(), (String) d.get("provider"), (String) d.get("model"), messages,
        tools, d.get("temperature") instanceof Number t ? t.doubleValue() : null,
        d.get("maxTokens") instanceof Number m ? m.intValue() : null, request.stream(), turnKey(node, turn));
  }

  private String turnKey(FlowNode node, int turn) {
    return request.runId() + "/" + node.id() + "/turn-" + turn;
  }

  /** The journal key of the {@code index}-th (from 1) tool call a turn asked for. */
  String toolCallKey(FlowNode node, int turn, int index) {
    return turnKey(node, turn) + "/call-" + index;
  }

  void recordAgentTurn(FlowNode node, LlmReply reply, int turn) {
    replies.put(node.id(), reply);
    calls.add(new LlmCallRecord(node.id(), reply.provider(), reply.model(), reply.usage(), reply.costUsd(),
        reply.durationMs(), reply.activityId(), reply.attempt(), turnKey(node, turn)));
    usage = usage.plus(reply.usage());
    cost += reply.costUsd();
  }

  /** The agent's answer: its text, why it stopped, and every tool call it made (also the run's steps). */
  String recordAgent(FlowNode node, AgentLoop.Outcome outcome) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", outcome.text());
    fields.put("stopped", outcome.stopped());
    fields.put("turns", outcome.turns());
    fields.put("tools_used", outcome.toolsUsed());
    fields.put("steps", outcome.steps());
    Object json = parseJson(outcome.text());
    if (json != null) fields.put("json", json);
    context.put(node.id(), new NodeOutput(outcome.text(), fields));
    steps.addAll(outcome.steps());
    remember(node, outcome.text());
    return outcome.text();
  }

  // ------------------------------------------------------------------------------------------ the answer

  /**
   * The node whose text the output is built from (null when it is the last node run): streaming clients show
   * its deltas as the answer.
   */
  String answerNode() {
    for (FlowNode node : order()) {
      if ("output".equals(node.type())) {
        return node.data().get("source") instanceof String s ? s : firstPredecessor(node);
      }
    }
    return null;
  }

  private void remember(FlowNode node, String text) {
    lastText = text;
    lastNode = node.id();
  }

  /** The text of the last node that ran, e.g. what a cancelled run had got to. */
  String lastText() {
    return lastText;
  }

  /** Shapes the output node's body; {@code created} is the workflow's clock in epoch seconds. */
  RunResult finish(FlowNode output, long created) {
    Map<String, Object> d = output.data();
    String source = d.get("source") instanceof String s && context.containsKey(s) ? s : defaultSource(output);
    String text = source == null ? lastText : textOf(source);
    LlmReply reply = source == null ? null : replies.get(source);
    String model = reply != null ? reply.model() : lastModel();
    String shape = (String) d.get("shape");
    Object body = switch (shape) {
      case "raw" -> text;
      case "openai_chat_completion" -> ChatCompletions.of("flowrun_" + request.runId(), created, model, text,
          ChatCompletions.finishReason(reply == null ? null : reply.finishReason()), usage);
      default -> Templates.renderJson(d.get("template"), context);
    };
    return new RunResult(request.runId(), shape, body, text, model, usage, cost, List.copyOf(steps));
  }

  /**
   * A node's text, as the output's {@code source} means it: the {@code text} field a node leaves (a tool's text,
   * not its structured output, which {@code {{node}}} hands to templates), else its value as text.
   */
  private String textOf(String nodeId) {
    if (context.get(nodeId) instanceof NodeOutput out && out.fields().get("text") instanceof String text) return text;
    return Templates.render("{{" + nodeId + "}}", context);
  }

  List<LlmCallRecord> calls() {
    return List.copyOf(calls);
  }

  Usage usage() {
    return usage;
  }

  double cost() {
    return cost;
  }

  private String firstPredecessor(FlowNode output) {
    List<String> preds = graph.predecessors(output.id());
    return preds.isEmpty() ? lastNode : preds.get(0);
  }

  /**
   * The first predecessor of the output that ran over an edge on the branch it took (on a branch, not every one
   * does: a denied approval or tool that also leads straight to the output gives way to its denied branch); else
   * the first predecessor that ran; else the last node run.
   */
  private String defaultSource(FlowNode output) {
    for (FlowEdge edge : graph.edgesInto(output.id())) {
      if (context.containsKey(edge.source()) && onTakenBranch(edge)) return edge.source();
    }
    for (String pred : graph.predecessors(output.id())) {
      if (context.containsKey(pred)) return pred;
    }
    return lastNode;
  }

  private String lastModel() {
    String model = request.flowSlug();
    for (LlmReply r : replies.values()) model = r.model();
    return model;
  }

  /** A node failed for a reason the workflow itself found (not an activity): ends the run failed. */
  static final class NodeError extends RuntimeException {
    private final String type;

    NodeError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }

    String type() {
      return type;
    }
  }
}
