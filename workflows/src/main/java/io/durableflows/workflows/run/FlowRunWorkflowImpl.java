package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.NodeKind;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/** Walks the flow graph node by node; each {@code llm} node is one retryable activity. */
public class FlowRunWorkflowImpl implements FlowRunWorkflow {
  private final RunStoreActivities store =
      Workflow.newLocalActivityStub(RunStoreActivities.class, ActivityPolicies.store("record run outcome"));

  @Override
  public RunResult run(RunRequest request) {
    FlowInterpreter interpreter = new FlowInterpreter(request);
    RunResult result = null;
    String current = null;
    try {
      for (FlowNode node : interpreter.order()) {
        current = node.id();
        Workflow.setCurrentDetails("running node **" + node.id() + "** (" + node.type() + ")");
        switch (NodeKind.of(node.type()).orElseThrow()) {
          case INPUT -> {}
          case LLM -> interpreter.recordLlm(node, callModel(node, interpreter));
          case TEMPLATE -> interpreter.runTemplate(node);
          case OUTPUT -> result = interpreter.finish(node, Workflow.currentTimeMillis() / 1000);
        }
      }
    } catch (ActivityFailure failure) {
      ApplicationFailure cause = rootApplicationFailure(failure);
      String type = cause == null ? "ActivityFailed" : cause.getType();
      String message = "node '" + current + "' failed: "
          + (cause == null ? failure.getMessage() : cause.getOriginalMessage());
      Workflow.setCurrentDetails("failed at node **" + current + "**");
      store.recordOutcome(new RunOutcome(request.runId(), RunOutcome.FAILED, null, null, interpreter.usage(),
          interpreter.cost(), type, message, interpreter.calls()));
      throw ApplicationFailure.newNonRetryableFailureWithCause(message, RunFailures.NODE_FAILED, failure, type);
    }
    Workflow.setCurrentDetails("completed");
    store.recordOutcome(new RunOutcome(request.runId(), RunOutcome.COMPLETED, result.output(), result.text(),
        result.usage(), result.costUsd(), null, null, interpreter.calls()));
    return result;
  }

  private LlmReply callModel(FlowNode node, FlowInterpreter interpreter) {
    var call = interpreter.llmCall(node);
    String target = (call.provider() == null ? "default provider" : call.provider())
        + (call.model() == null ? "" : " · " + call.model());
    LlmActivities llm = Workflow.newActivityStub(LlmActivities.class,
        ActivityPolicies.llm("llm node " + node.id() + " (" + target + ")"));
    return llm.complete(call);
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
