package io.durableflows.workflows.run;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.NodeKind;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks the flow graph node by node; each {@code llm} node is one retryable activity. */
public class FlowRunWorkflowImpl implements FlowRunWorkflow {
  private final RunStoreActivities store =
      Workflow.newLocalActivityStub(RunStoreActivities.class, ActivityPolicies.store("record run outcome"));
  private final RunJournal journal = new RunJournal();

  @Override
  public RunResult run(RunRequest request) {
    FlowInterpreter interpreter = new FlowInterpreter(request);
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
        current = node.id();
        Workflow.setCurrentDetails("running node **" + node.id() + "** (" + node.type() + ")");
        NodeKind kind = NodeKind.of(node.type()).orElseThrow();
        if (kind != NodeKind.INPUT) journal.append(RunEvent.NODE_STARTED, node.id(), Map.of("type", node.type()));
        Map<String, Object> finished = new LinkedHashMap<>();
        finished.put("type", node.type());
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
          case OUTPUT -> result = interpreter.finish(node, Workflow.currentTimeMillis() / 1000);
        }
        if (kind != NodeKind.INPUT) journal.append(RunEvent.NODE_FINISHED, node.id(), finished);
      }
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure) throw cancelled(request, interpreter, current);
      ApplicationFailure cause = rootApplicationFailure(failure);
      String type = cause == null ? "ActivityFailed" : cause.getType();
      String message = "node '" + current + "' failed: "
          + (cause == null ? failure.getMessage() : cause.getOriginalMessage());
      Workflow.setCurrentDetails("failed at node **" + current + "**");
      finish(request, interpreter, current, RunOutcome.FAILED, type, message, null);
      throw ApplicationFailure.newNonRetryableFailureWithCause(message, RunFailures.NODE_FAILED, failure, type);
    } catch (CanceledFailure e) {
      throw cancelled(request, interpreter, current);
    }
    Workflow.setCurrentDetails("completed");
    finish(request, interpreter, null, RunOutcome.COMPLETED, null, null, result);
    return result;
  }

  @Override
  public void deltas(DeltaBatch batch) {
    journal.delta(batch);
  }

  @Override
  public EventPage events(long afterSeq) {
    return journal.after(afterSeq);
  }

  private CanceledFailure cancelled(RunRequest request, FlowInterpreter interpreter, String node) {
    Workflow.setCurrentDetails("cancelled at node **" + node + "**");
    // The run's own scope is cancelled; recording the outcome must still happen.
    Workflow.newDetachedCancellationScope(() -> finish(request, interpreter, node, RunOutcome.CANCELLED,
        "cancelled", "the run was cancelled", null)).run();
    return new CanceledFailure("run cancelled");
  }

  /**
   * Persists the outcome with the whole log including the final {@code done} event, and only then shows that
   * event to readers: a reader that sees {@code done} can rely on PostgreSQL (run row, ledger) being settled.
   */
  private void finish(RunRequest request, FlowInterpreter interpreter, String node, String status, String errorType,
      String errorMessage, RunResult result) {
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
    }
    List<RunEvent> events = new ArrayList<>(journal.all());
    events.add(new RunEvent(events.size() + 1L, RunEvent.DONE, null, done));
    store.recordOutcome(new RunOutcome(request.runId(), status, result == null ? null : result.output(),
        result == null ? null : result.text(), interpreter.usage(), interpreter.cost(), errorType, errorMessage,
        interpreter.calls(), events));
    journal.append(RunEvent.DONE, null, done);
  }

  private static Map<String, Object> usageData(Usage usage, double cost) {
    Map<String, Object> data = usage.fields();
    data.put("cost_usd", cost);
    return data;
  }

  private LlmReply callModel(FlowNode node, FlowInterpreter interpreter) {
    var call = interpreter.llmCall(node);
    String target = (call.provider() == null ? "default provider" : call.provider())
        + (call.model() == null ? "" : " · " + call.model());
    LlmActivities llm = Workflow.newActivityStub(LlmActivities.class,
        ActivityPolicies.llm("llm node " + node.id() + " (" + target + ")"));
    journal.streamStarted(node.id());
    try {
      return llm.complete(call);
    } finally {
      journal.streamEnded();
    }
  }

  private static ApplicationFailure rootApplicationFailure(Throwable failure) {
    ApplicationFailure found = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) found = af;
      if (!(t instanceof TemporalFailure)) break;
    }
    return found;
  }
}
