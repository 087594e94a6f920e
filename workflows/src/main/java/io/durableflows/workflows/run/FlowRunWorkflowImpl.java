package io.durableflows.workflows.run;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.NodeKind;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanRequests;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.memory.HistoryWindow;
import io.durableflows.workflows.memory.MemoryActivities;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import io.durableflows.workflows.run.FlowInterpreter.NodeError;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the flow graph node by node: each {@code llm} and {@code tool} node is one retryable activity; approval
 * and question nodes (and tool calls that need approval) wait for a person with {@code Workflow.await}, however
 * long it takes, and their answers arrive as the {@code Respond} update or the {@code Answer} signal.
 */
public class FlowRunWorkflowImpl implements FlowRunWorkflow {
  private final RunStoreActivities store =
      Workflow.newLocalActivityStub(RunStoreActivities.class, ActivityPolicies.store("record run outcome"));
  private final RunJournal journal = new RunJournal();
  private final Map<String, HumanRequest> requests = new LinkedHashMap<>();
  private final Map<String, HumanResolution> resolutions = new HashMap<>();
  /** Resolutions already written to PostgreSQL: the Respond update completes only then. */
  private final Set<String> recorded = new HashSet<>();
  private final Map<String, Integer> asked = new HashMap<>();
  private String runId;
  /** Nodes run on a parallel node's branches; the first node that failed, when one did. */
  private final Set<String> handled = new HashSet<>();
  private String failedNode;
  private ChildRuns children;
  private RunRequest runRequest;

  @Override
  public RunResult run(RunRequest request) {
    runId = request.runId();
    runRequest = request;
    FlowInterpreter interpreter = new FlowInterpreter(request);
    children = new ChildRuns(request, journal);
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("run_id", request.runId());
    started.put("flow", request.flowSlug());
    started.put("version", request.version());
    started.put("answer_node", interpreter.answerNode());
    journal.append(RunEvent.RUN_STARTED, null, started);
    RunResult result = null;
    String current = null;
    try {
      for (FlowNode node : interpreter.order()) {
        // Nodes a parallel node ran on its branches are done.
        if (handled.contains(node.id())) continue;
        current = node.id();
        RunResult output = runNode(node, interpreter, false);
        if (output != null) result = output;
      }
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure) throw cancelled(request, interpreter, current);
      ApplicationFailure cause = rootApplicationFailure(failure);
      throw failed(request, interpreter, failedNode(current), cause == null ? "ActivityFailed" : cause.getType(),
          cause == null ? failure.getMessage() : cause.getOriginalMessage(), failure);
    } catch (NodeError error) {
      throw failed(request, interpreter, failedNode(current), error.type(), error.getMessage(), null);
    } catch (ChildRunFailure error) {
      throw failed(request, interpreter, failedNode(current), error.type(), error.getMessage(), null);
    } catch (CanceledFailure e) {
      throw cancelled(request, interpreter, current);
    }
    Workflow.setCurrentDetails("completed");
    RunResult completed = result;
    // A cancel arriving now must not interrupt the write that makes the run's row final: the run has completed.
    Workflow.newDetachedCancellationScope(() -> finish(request, interpreter, null, RunOutcome.COMPLETED, null, null,
        completed, null)).run();
    return result;
  }

  /**
   * Runs one node (or records why it is skipped) and returns the run's result when it is the output node.
   * {@code onBranch}: the node runs on a parallel node's branch, where the branches already run concurrently.
   */
  private RunResult runNode(FlowNode node, FlowInterpreter interpreter, boolean onBranch) {
    NodeKind kind = NodeKind.of(node.type()).orElseThrow();
    if (!interpreter.shouldRun(node)) {
      Map<String, Object> skipped = new LinkedHashMap<>();
      skipped.put("type", node.type());
      skipped.put("reason", interpreter.skipReason(node));
      journal.append(RunEvent.NODE_SKIPPED, node.id(), skipped);
      return null;
    }
    Workflow.setCurrentDetails("running node **" + node.id() + "** (" + node.type() + ")");
    if (kind != NodeKind.INPUT) journal.append(RunEvent.NODE_STARTED, node.id(), Map.of("type", node.type()));
    Map<String, Object> finished = new LinkedHashMap<>();
    finished.put("type", node.type());
    RunResult result = null;
    try {
      switch (kind) {
        case INPUT -> {}
        case LLM -> {
          LlmReply reply = callModel(node, interpreter);
          interpreter.recordLlm(node, reply);
          finished.put("text", reply.text());
          finished.put("model", reply.model());
          finished.put("usage", usageData(reply.usage(), reply.costUsd()));
        }
        case TEMPLATE -> finished.put("text", interpreter.runTemplate(node));
        case APPROVAL -> {
          HumanResolution r = askPerson(interpreter.approvalRequest(node, newRequestId("apr", node.id()), now()));
          finished.put("text", interpreter.recordApproval(node, r));
          finished.put("decision", r.approved() ? "approved" : FlowInterpreter.DENIED);
        }
        case QUESTION -> {
          HumanRequest question = interpreter.questionRequest(node, newRequestId("qst", node.id()), now());
          finished.put("text", interpreter.recordAnswer(node, question, askPerson(question)));
        }
        case TOOL -> finished.put("text", runTool(node, interpreter));
        case AGENT -> {
          AgentLoop.Outcome outcome = new AgentLoop(runRequest, interpreter, journal, agentHost()).run(node);
          finished.put("text", interpreter.recordAgent(node, outcome));
          finished.put("stopped", outcome.stopped());
          finished.put("turns", outcome.turns());
          finished.put("tools_used", outcome.toolsUsed());
        }
        case OUTPUT -> result = interpreter.finish(node, Workflow.currentTimeMillis() / 1000);
        case SWITCH -> finished.put("case", interpreter.runSwitch(node));
        case PARALLEL -> finished.put("branches", runParallel(node, interpreter, onBranch));
        case MAP -> finished.putAll(runMap(node, interpreter));
        case SUBFLOW -> finished.putAll(runSubflow(node, interpreter));
        case MEMORY -> finished.putAll(runMemory(node, interpreter));
      }
    } catch (RuntimeException e) {
      if (failedNode == null) failedNode = node.id();
      throw e;
    }
    interpreter.markRan(node);
    if (kind != NodeKind.INPUT) journal.append(RunEvent.NODE_FINISHED, node.id(), finished);
    return result;
  }

  /** The node a failure is reported at: the first that failed (on parallel branches), else the current one. */
  private String failedNode(String current) {
    return failedNode != null ? failedNode : current;
  }

  private long now() {
    return Workflow.currentTimeMillis();
  }

  /**
   * A request's id, derived from the run and the node that asks (and how often it has asked): the same on every
   * replay whatever else the code draws from the workflow's random source, so ids in PostgreSQL and in streams
   * always name a request the run knows.
   */
  private String newRequestId(String prefix, String nodeId) {
    int n = asked.merge(nodeId, 1, Integer::sum);
    return prefix + "_" + RequestIds.of(runId, nodeId, n);
  }

  // ------------------------------------------------------------------------------------------ people

  /**
   * Lists the request in PostgreSQL, tells every stream why the run pauses, and waits (a durable timer when the
   * request has a timeout) until a person answers or the time is up.
   */
  private HumanResolution askPerson(HumanRequest request) {
    requests.put(request.id(), request);
    store.recordRequest(runId, request);
    boolean approval = request.isApproval();
    journal.append(approval ? RunEvent.APPROVAL_REQUIRED : RunEvent.QUESTION, request.nodeId(),
        HumanEvents.requested(request));
    Workflow.setCurrentDetails("waiting for " + (approval ? "approval" : "an answer") + " **" + request.id()
        + "** (node " + request.nodeId() + ")" + (request.expiresAtMillis() == null ? ""
        : ", until " + HumanEvents.iso(request.expiresAtMillis())));
    boolean answered;
    if (request.expiresAtMillis() == null) {
      Workflow.await(() -> resolutions.containsKey(request.id()));
      answered = true;
    } else {
      long left = Math.max(1, request.expiresAtMillis() - now());
      answered = Workflow.await(Duration.ofMillis(left), () -> resolutions.containsKey(request.id()));
    }
    // The timer and an answer can land in the same workflow task: an answer given in time stands.
    if (!answered) resolutions.putIfAbsent(request.id(), HumanRequests.expire(request, now()));
    HumanResolution resolution = resolutions.get(request.id());
    store.recordResolution(runId, resolution);
    recorded.add(request.id());
    journal.append(approval ? RunEvent.APPROVAL_RESOLVED : RunEvent.QUESTION_ANSWERED, request.nodeId(),
        HumanEvents.resolved(resolution));
    Workflow.setCurrentDetails("running node **" + request.nodeId() + "**");
    return resolution;
  }

  /** The workers' {@link UpdateFailureConverter} brings the refusal's type to the caller intact. */
  @Override
  public void validateRespond(HumanAnswer answer) {
    String id = answer == null ? null : answer.requestId();
    // Checking modified arguments or a JSON answer may load the schema library (see schemaViolations).
    WorkflowUnsafe.deadlockDetectorOff(() -> HumanRequests.check(id == null ? null : requests.get(id),
        id == null ? null : resolutions.get(id), answer, now()));
  }

  @Override
  public HumanResolution respond(HumanAnswer answer) {
    String id = accept(answer);
    Workflow.await(() -> recorded.contains(id));
    return resolutions.get(id);
  }

  /** Takes a validated answer, unless a timeout resolved the request first (that resolution stands). */
  private String accept(HumanAnswer answer) {
    HumanRequest request = requests.get(answer.requestId());
    resolutions.putIfAbsent(request.id(), HumanRequests.resolve(request, answer, now()));
    return request.id();
  }

  @Override
  public void answer(HumanAnswer answer) {
    try {
      validateRespond(answer);
    } catch (RuntimeException refused) {
      // A signal stays in the history: throwing here would fail every replay of this workflow task for good.
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("state", "answer_rejected");
      data.put("request_id", answer == null ? null : answer.requestId());
      data.put("error", refused instanceof ApplicationFailure af ? af.getType() : HitlFailures.INVALID_ANSWER);
      data.put("message", refused instanceof ApplicationFailure af ? af.getOriginalMessage() : "malformed answer");
      journal.append(RunEvent.STATUS, null, data);
      return;
    }
    accept(answer);
  }

  @Override
  public List<HumanRequest> pending() {
    return requests.values().stream().filter(r -> !resolutions.containsKey(r.id())).toList();
  }

  // ------------------------------------------------------------------------------------------ tools

  /** One tool call, after a person's approval when the tool's policy asks for it. */
  private String runTool(FlowNode node, FlowInterpreter interpreter) {
    ToolCall call = interpreter.toolCall(node);
    HumanResolution approval = null;
    HumanRequest ask = interpreter.toolApproval(node, call, newRequestId("apr", node.id()), now());
    if (ask != null) {
      approval = askPerson(ask);
      if (!approval.approved()) return interpreter.recordToolDenied(node, call, approval);
      call = call.withArguments(approval.arguments());
    }
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("name", call.tool());
    started.put("arguments", call.arguments());
    started.put("idempotency_key", call.idempotencyKey());
    journal.append(RunEvent.TOOL_CALL, node.id(), started);
    ToolActivities tools = Workflow.newActivityStub(ToolActivities.class,
        ActivityPolicies.tool("tool node " + node.id() + " (" + call.tool() + ")"));
    ToolResult result = tools.call(call);
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("name", call.tool());
    done.put("output", result.output());
    done.put("text", result.text());
    done.put("duration_ms", result.durationMs());
    journal.append(RunEvent.TOOL_RESULT, node.id(), done);
    return interpreter.recordTool(node, call.tool(), call.arguments(), result, approval);
  }

  // ------------------------------------------------------------------------------------------ graph nodes

  /**
   * Runs the nodes on a parallel node's branches concurrently: each in its own workflow thread, started once the
   * nodes it waits on have finished; the first failure cancels the others. On a branch of another parallel node the
   * branches already run concurrently, so there it only marks the way.
   */
  private List<String> runParallel(FlowNode node, FlowInterpreter interpreter, boolean onBranch) {
    List<String> branches = interpreter.successors(node);
    interpreter.recordParallel(node, branches);
    if (onBranch) return branches;
    interpreter.markRan(node);
    List<FlowNode> region = interpreter.parallelRegion(node, handled);
    Map<String, Promise<Void>> done = new LinkedHashMap<>();
    CancellationScope scope = Workflow.newCancellationScope(() -> {
      for (FlowNode n : region) {
        List<Promise<Void>> waitsOn = new ArrayList<>();
        for (String p : interpreter.predecessors(n)) {
          if (done.containsKey(p)) waitsOn.add(done.get(p));
        }
        done.put(n.id(), Async.procedure(() -> {
          for (Promise<Void> p : waitsOn) p.get();
          runNode(n, interpreter, true);
        }));
      }
    });
    scope.run();
    try {
      Promise.allOf(done.values()).get();
    } catch (RuntimeException e) {
      // Stop the other branches, and let them settle (a child run records its cancellation) before the run ends.
      scope.cancel();
      Workflow.newDetachedCancellationScope(
          () -> Workflow.await(() -> done.values().stream().allMatch(Promise::isCompleted))).run();
      throw e;
    }
    region.forEach(n -> handled.add(n.id()));
    return branches;
  }

  /** A subflow node: the flow runs as a child run; its output and text become the node's. */
  private Map<String, Object> runSubflow(FlowNode node, FlowInterpreter interpreter) {
    Map<String, Object> d = node.data();
    Map<String, Object> input = interpreter.childInput(node);
    String childRunId = ChildRuns.childRunId(runId, node.id(), 1);
    RunResult child = children.run(node.id(), 1, (String) d.get("flow"), (String) d.get("version"), input);
    Map<String, Object> finished = new LinkedHashMap<>();
    finished.put("text", interpreter.recordSubflow(node, childRunId, child));
    finished.put("child_run_id", childRunId);
    return finished;
  }

  /**
   * A map node: one child run (or one model call) per item, at most {@code concurrency} at a time, results in
   * input order. With {@code failFast} (the default) the first failure stops starting items, cancels those in
   * flight and fails the node; without it a failed item's result is {@code {"error", "message"}}.
   */
  private Map<String, Object> runMap(FlowNode node, FlowInterpreter interpreter) {
    Map<String, Object> d = node.data();
    List<Object> items = interpreter.mapItems(node);
    int limit = d.get("concurrency") instanceof Number n ? n.intValue() : 4;
    boolean failFast = !Boolean.FALSE.equals(d.get("failFast"));
    MapState state = new MapState();
    List<Promise<Object>> results = new ArrayList<>();
    CancellationScope scope = Workflow.newCancellationScope(() -> {
      for (int i = 0; i < items.size(); i++) {
        Workflow.await(() -> state.inFlight < limit || failFast && state.firstError != null);
        if (failFast && state.firstError != null) break;
        int index = i;
        state.inFlight++;
        results.add(Async.function(() -> {
          try {
            return runMapItem(node, interpreter, items.get(index), index);
          } catch (ChildRunFailure | NodeError | ActivityFailure e) {
            if (e instanceof ActivityFailure af && af.getCause() instanceof CanceledFailure) throw e;
            Map<String, Object> error = itemError(index, e);
            state.errors.add(error);
            if (state.firstError == null) state.firstError = error;
            return error;
          } finally {
            state.inFlight--;
          }
        }));
      }
    });
    try {
      scope.run();
      Workflow.await(() -> state.inFlight == 0 || failFast && state.firstError != null);
    } catch (CanceledFailure cancelled) {
      // The run is cancelled: the items' child runs record their cancellation before the run records its own.
      Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> state.inFlight == 0)).run();
      throw cancelled;
    }
    if (failFast && state.firstError != null) {
      scope.cancel();
      Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> state.inFlight == 0)).run();
      throw new NodeError(FlowInterpreter.MAP_ITEM_FAILED, "item " + state.firstError.get("index") + " failed ("
          + state.firstError.get("error") + "): " + state.firstError.get("message"));
    }
    List<Object> values = new ArrayList<>();
    for (Promise<Object> p : results) values.add(p.get());
    List<Map<String, Object>> errors = new ArrayList<>(state.errors);
    errors.sort(java.util.Comparator.comparingInt(e -> (Integer) e.get("index")));
    Map<String, Object> finished = new LinkedHashMap<>();
    finished.put("text", interpreter.recordMap(node, values, errors));
    finished.put("count", values.size());
    finished.put("failed", errors.size());
    return finished;
  }

  private Object runMapItem(FlowNode node, FlowInterpreter interpreter, Object item, int index) {
    Map<String, Object> d = node.data();
    if (d.get("flow") instanceof String flow) {
      Map<String, Object> input = interpreter.childInput(node, interpreter.itemScope(item, index));
      RunResult child = children.run(node.id(), index + 1, flow, (String) d.get("version"), input);
      interpreter.addChildUsage(child);
      return child.output();
    }
    var call = interpreter.mapItemCall(node, item, index);
    LlmActivities llm = Workflow.newActivityStub(LlmActivities.class,
        ActivityPolicies.llm("map node " + node.id() + " item " + index));
    return interpreter.recordMapItemReply(node, index, llm.complete(call));
  }

  private static Map<String, Object> itemError(int index, RuntimeException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("index", index);
    if (e instanceof ChildRunFailure c) {
      error.put("error", c.type());
      error.put("message", c.getMessage());
      error.put("child_run_id", c.childRunId());
    } else if (e instanceof NodeError n) {
      error.put("error", n.type());
      error.put("message", n.getMessage());
    } else {
      ApplicationFailure cause = rootApplicationFailure(e);
      error.put("error", cause == null ? "ActivityFailed" : cause.getType());
      error.put("message", cause == null ? e.getMessage() : cause.getOriginalMessage());
    }
    return error;
  }

  /** What a map node's item threads share (one workflow thread runs at a time, so plain fields do). */
  private static final class MapState {
    int inFlight;
    Map<String, Object> firstError;
    final List<Map<String, Object>> errors = new ArrayList<>();
  }

  /** The run's people and children, as an agent's tool calls use them. */
  private AgentLoop.Host agentHost() {
    return new AgentLoop.Host() {
      @Override
      public HumanResolution ask(HumanRequest request) {
        return askPerson(request);
      }

      @Override
      public String newRequestId(String prefix, String nodeId) {
        return FlowRunWorkflowImpl.this.newRequestId(prefix, nodeId);
      }

      @Override
      public long now() {
        return FlowRunWorkflowImpl.this.now();
      }

      /** A child run (see {@link ChildRuns}); a child that cannot start or fails is the tool's failure. */
      @Override
      public Promise<RunResult> startChild(FlowNode node, String callKey, String flow, String version,
          Map<String, Object> input) {
        return children.start(node.id(), callKey, flow, version, input).handle((result, failure) -> {
          if (failure instanceof ChildRunFailure c) {
            throw ApplicationFailure.newNonRetryableFailure(c.getMessage(), c.type(), c.childRunId());
          }
          if (failure != null) throw failure;
          return result;
        });
      }
    };
  }

  // ------------------------------------------------------------------------------------------ memory

  /** The most messages a memory node loads: windows and budgets choose among these. */
  static final int HISTORY_LIMIT = 200;

  /**
   * Loads the session's history (none without a session), keeps what the node's window and token budget allow,
   * and, with {@code compact}, replaces what does not fit by a summary from one model call.
   */
  private Map<String, Object> runMemory(FlowNode node, FlowInterpreter interpreter) {
    Map<String, Object> d = node.data();
    List<ChatMessage> history = List.of();
    if (interpreter.sessionId() != null) {
      MemoryActivities store = Workflow.newLocalActivityStub(MemoryActivities.class,
          ActivityPolicies.store("load history (memory node " + node.id() + ")"));
      history = store.loadHistory(interpreter.orgCode(), interpreter.sessionId(), HISTORY_LIMIT);
    }
    HistoryWindow.Selection selection = HistoryWindow.select(history,
        d.get("window") instanceof Number w ? w.intValue() : null,
        d.get("tokenBudget") instanceof Number b ? b.intValue() : null);
    List<ChatMessage> messages = selection.kept();
    boolean compacted = false;
    if (Boolean.TRUE.equals(d.get("compact")) && !selection.older().isEmpty()) {
      List<ChatMessage> condense = new ArrayList<>();
      List<ChatMessage> turns = new ArrayList<>();
      for (ChatMessage m : selection.kept()) (ChatMessage.SYSTEM.equals(m.role()) ? condense : turns).add(m);
      condense.addAll(selection.older());
      MemoryActivities llm = Workflow.newActivityStub(MemoryActivities.class,
          ActivityPolicies.llm("compaction of " + condense.size() + " messages (memory node " + node.id() + ")"));
      Summary summary = llm.summarize(new SummaryRequest(runId, node.id(), SummaryRequest.SUMMARY,
          (String) d.get("provider"), (String) d.get("model"), condense));
      interpreter.recordSummaryCall(node, summary);
      List<ChatMessage> compactedMessages = new ArrayList<>();
      compactedMessages.add(ChatMessage.system(MemoryPrompts.SUMMARY_PREFIX + summary.text()));
      compactedMessages.addAll(turns);
      messages = compactedMessages;
      compacted = true;
    }
    interpreter.recordMemory(node, messages, compacted);
    Map<String, Object> finished = new LinkedHashMap<>();
    finished.put("messages", messages.size());
    finished.put("loaded", history.size());
    finished.put("compacted", compacted);
    return finished;
  }

  // ------------------------------------------------------------------------------------------ model deltas

  @Override
  public void deltas(DeltaBatch batch) {
    journal.delta(batch);
  }

  @Override
  public EventPage events(long afterSeq) {
    return journal.after(afterSeq);
  }

  // ------------------------------------------------------------------------------------------ endings

  private ApplicationFailure failed(RunRequest request, FlowInterpreter interpreter, String node, String type,
      String reason, Throwable cause) {
    String message = "node '" + node + "' failed: " + reason;
    Workflow.setCurrentDetails("failed at node **" + node + "**");
    Workflow.newDetachedCancellationScope(() -> finish(request, interpreter, node, RunOutcome.FAILED, type, message,
        null, null)).run();
    return cause == null
        ? ApplicationFailure.newNonRetryableFailure(message, RunFailures.NODE_FAILED, type)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, RunFailures.NODE_FAILED, cause, type);
  }

  /** A cancelled run keeps what it had: the text the running node streamed so far, else the last node's. */
  private CanceledFailure cancelled(RunRequest request, FlowInterpreter interpreter, String node) {
    Workflow.setCurrentDetails("cancelled at node **" + node + "**");
    String streamed = journal.streamedText(node);
    String had = streamed.isEmpty() ? interpreter.lastText() : streamed;
    String partial = had.isEmpty() ? null : had;
    // The run's own scope is cancelled; recording the outcome must still happen.
    Workflow.newDetachedCancellationScope(() -> finish(request, interpreter, node, RunOutcome.CANCELLED,
        "cancelled", "the run was cancelled", null, partial)).run();
    return new CanceledFailure("run cancelled");
  }

  /**
   * Persists the outcome with the whole log including the final {@code done} event, and only then shows that
   * event to readers: a reader that sees {@code done} can rely on PostgreSQL (run row, ledger) being settled.
   */
  private void finish(RunRequest request, FlowInterpreter interpreter, String node, String status, String errorType,
      String errorMessage, RunResult result, String partial) {
    if (errorType != null) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("error", errorType);
      error.put("message", errorMessage);
      journal.append(RunEvent.ERROR, node, error);
    }
    journal.append(RunEvent.USAGE, null, usageData(interpreter.usage(), interpreter.cost()));
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("status", status);
    if (result != null) {
      done.put("shape", result.shape());
      done.put("output", result.output());
      done.put("text", result.text());
      done.put("model", result.model());
    } else if (partial != null) {
      done.put("output", partial);
      done.put("text", partial);
      done.put("partial", true);
    }
    List<RunEvent> events = new ArrayList<>(journal.all());
    events.add(new RunEvent(events.size() + 1L, RunEvent.DONE, null, done));
    store.recordOutcome(new RunOutcome(request.runId(), status, result != null ? result.output() : partial,
        result != null ? result.text() : partial, interpreter.usage(), interpreter.cost(), errorType, errorMessage,
        interpreter.calls(), events, RunOutcome.COMPLETED.equals(status) ? interpreter.turn(result) : null));
    journal.append(RunEvent.DONE, null, done);
  }

  private static Map<String, Object> usageData(Usage usage, double cost) {
    Map<String, Object> data = usage.fields();
    data.put("cost_usd", cost);
    return data;
  }

  private LlmReply callModel(FlowNode node, FlowInterpreter interpreter) {
    var call = interpreter.llmCall(node);
    LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, ActivityPolicies.llm(
        "llm node " + node.id() + " (" + ActivityPolicies.modelTarget(call.provider(), call.model()) + ")"));
    return journal.streamed(node.id(), () -> llm.complete(call));
  }

  /** The innermost application failure of an activity or child failure: its type is what went wrong. */
  static ApplicationFailure rootApplicationFailure(Throwable failure) {
    ApplicationFailure found = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) found = af;
      if (!(t instanceof TemporalFailure)) break;
    }
    return found;
  }
}
