package io.durableflows.workflows.evals;

import io.durableflows.workflows.run.ActivityPolicies;
import io.durableflows.workflows.run.ChildRuns;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class EvalJobWorkflowImpl implements EvalJobWorkflow {
  /** The node id child runs of a {@code flow} evaluator carry in their parent (the evaluated run). */
  static final String NODE_PREFIX = "eval:";

  @Override
  public EvalJobResult run(EvalJobRequest request) {
    EvalStoreActivities store = Workflow.newLocalActivityStub(EvalStoreActivities.class,
        ActivityPolicies.store("eval job " + request.jobId()));
    store.jobStarted(request);
    List<Promise<EvalResult>> pending = new ArrayList<>();
    for (int i = 0; i < request.evaluations().size(); i++) {
      int index = i;
      EvalSelection selection = request.evaluations().get(i);
      pending.add(Async.function(() -> {
        EvalResult result = evaluate(request, index, selection);
        Workflow.newLocalActivityStub(EvalStoreActivities.class,
                ActivityPolicies.store("record " + selection.evaluator().name()))
            .recordResult(request.jobId(), index, result);
        return result;
      }));
    }
    List<EvalResult> results = new ArrayList<>();
    for (Promise<EvalResult> p : pending) results.add(p.get());
    EvalSummary summary = EvalSummary.of(results);
    store.jobCompleted(request.jobId(), summary);
    return new EvalJobResult(request.jobId(), results, summary);
  }

  private static EvalResult evaluate(EvalJobRequest request, int index, EvalSelection selection) {
    EvaluatorSpec spec = selection.evaluator();
    EvalCall call = new EvalCall(request.jobId() + "/" + index, request.orgCode(), request.runId(), spec,
        request.input(), request.output(), selection.externalInput());
    long started = Workflow.currentTimeMillis();
    try {
      if (EvaluatorKinds.FLOW.equals(spec.kind())) return evaluateWithFlow(request, index, call, started);
      return Workflow.newActivityStub(EvalActivities.class,
          ActivityPolicies.eval(spec.kind() + " evaluator " + spec.name())).evaluate(call);
    } catch (ActivityFailure | ChildWorkflowFailure failure) {
      return errored(spec, failure, Workflow.currentTimeMillis() - started);
    }
  }

  /** The evaluation flow runs as a child run of the evaluated run; its output's {@code score} is the verdict. */
  private static EvalResult evaluateWithFlow(EvalJobRequest request, int index, EvalCall call, long started) {
    EvaluatorSpec spec = call.evaluator();
    String nodeId = NODE_PREFIX + spec.id();
    String childRunId = ChildRuns.childRunId(request.jobId(), nodeId, index + 1);
    RunRequest child = Workflow.newLocalActivityStub(EvalStoreActivities.class,
            ActivityPolicies.store("prepare evaluation flow of " + spec.name()))
        .prepareEvalFlowRun(childRunId, call);
    RunResult result = Workflow.newChildWorkflowStub(FlowRunWorkflow.class, ChildWorkflowOptions.newBuilder()
            .setWorkflowId(FlowRunWorkflow.workflowId(child.orgCode(), child.flowSlug(), child.runId()))
            .setTaskQueue(Workflow.getInfo().getTaskQueue())
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setStaticSummary("evaluation flow **" + child.flowSlug() + "** of run `" + request.runId()
                + "` · eval job `" + request.jobId() + "`")
            .build())
        .run(child);
    return FlowVerdicts.of(spec, result, Workflow.currentTimeMillis() - started);
  }

  private static EvalResult errored(EvaluatorSpec spec, TemporalFailure failure, long durationMs) {
    ApplicationFailure cause = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) cause = af;
    }
    String error;
    if (cause != null) {
      error = cause.getType() + ": " + cause.getOriginalMessage();
    } else if (failure.getCause() instanceof TimeoutFailure) {
      error = "timed out";
    } else {
      error = failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage();
    }
    return new EvalResult(spec.id(), spec.name(), spec.kind(), null, null, null, null, 0, durationMs, error);
  }
}
