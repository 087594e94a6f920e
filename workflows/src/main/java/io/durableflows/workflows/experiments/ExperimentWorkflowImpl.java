package io.durableflows.workflows.experiments;

import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalJobWorkflow;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvalSelection;
import io.durableflows.workflows.run.ActivityPolicies;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each row is a local activity that records its run, the run itself as a child {@link FlowRunWorkflow} (a real run
 * with its own {@code runs} row and history), its evaluations as a child workflow, and a local activity that
 * records the row. At most {@code concurrency} rows are in flight; an execution starts at most
 * {@code rowsPerExecution} rows, waits for them, and continues as new with the rest, so a dataset of any size keeps
 * every history to a few thousand events. Cancelling the experiment cancels the runs in flight, waits until they
 * have recorded it, and marks the experiment cancelled; finished rows keep their results.
 */
public class ExperimentWorkflowImpl implements ExperimentWorkflow {
  private int running;

  @Override
  public void run(ExperimentRequest request) {
    ExperimentActivities store = Workflow.newLocalActivityStub(ExperimentActivities.class,
        ActivityPolicies.experimentStore("experiment " + request.experimentId()));
    int end = Math.min(request.total(), request.nextRow() + Math.max(1, request.rowsPerExecution()));
    int concurrency = Math.max(1, request.concurrency());
    Workflow.setCurrentDetails("rows " + (request.nextRow() + 1) + "–" + end + " of " + request.total());
    try {
      for (int row = request.nextRow(); row < end; row++) {
        Workflow.await(() -> running < concurrency);
        running++;
        int index = row;
        Async.procedure(() -> {
          try {
            runRow(request, index, store);
          } finally {
            running--;
          }
        });
      }
      Workflow.await(() -> running == 0);
    } catch (CanceledFailure cancelled) {
      // The runs in flight were asked to cancel with this scope: let them record it before the experiment does.
      Workflow.newDetachedCancellationScope(() -> {
        Workflow.await(() -> running == 0);
        store.recordStatus(request.experimentId(), "cancelled");
      }).run();
      throw cancelled;
    }
    if (end < request.total()) {
      Workflow.continueAsNew(request.from(end));
    }
    store.recordStatus(request.experimentId(), "completed");
  }

  /** One row, start to end; any failure but cancellation is recorded on the row, never thrown. */
  private void runRow(ExperimentRequest request, int row, ExperimentActivities store) {
    String experimentId = request.experimentId();
    PreparedRow prepared;
    try {
      prepared = store.prepareRow(experimentId, row);
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure c) throw c;
      ApplicationFailure cause = rootApplicationFailure(failure);
      store.recordRow(new RowOutcome(experimentId, row, null, RowOutcome.FAILED,
          cause == null ? ExperimentFailures.NOT_FOUND : cause.getType(),
          cause == null ? String.valueOf(failure.getMessage()) : cause.getOriginalMessage(), null));
      return;
    }
    RunRequest run = prepared.run();
    RunResult result;
    try {
      result = runFlow(request, row, run);
    } catch (ChildWorkflowFailure failure) {
      store.recordRow(new RowOutcome(experimentId, row, run.runId(), RowOutcome.FAILED,
          ExperimentFailures.RUN_FAILED, "the run failed: " + reason(failure), null));
      return;
    }
    List<EvalResult> evaluations;
    try {
      evaluations = evaluate(request, row, prepared, result);
    } catch (ChildWorkflowFailure failure) {
      store.recordRow(new RowOutcome(experimentId, row, run.runId(), RowOutcome.FAILED,
          ExperimentFailures.EVALUATION_FAILED, "the evaluations failed: " + reason(failure), null));
      return;
    }
    store.recordRow(new RowOutcome(experimentId, row, run.runId(), RowOutcome.COMPLETED, null, null, evaluations));
  }

  private static RunResult runFlow(ExperimentRequest request, int row, RunRequest run) {
    FlowRunWorkflow child = Workflow.newChildWorkflowStub(FlowRunWorkflow.class, childOptions(
        FlowRunWorkflow.workflowId(run.orgCode(), run.flowSlug(), run.runId()),
        "experiment `" + request.experimentId() + "` row " + (row + 1) + " · flow **" + run.flowSlug()
            + "** · version **" + run.version() + "**"));
    return child.run(run);
  }

  /**
   * The row's evaluations as an eval job ({@link EvalJobWorkflow}, a child): each evaluator gets the row's
   * {@code expected} as its external input. An evaluation that errors is a result with its error, not a failure.
   */
  private static List<EvalResult> evaluate(ExperimentRequest request, int row, PreparedRow prepared,
      RunResult result) {
    if (request.evaluators().isEmpty()) return List.of();
    Map<String, Object> external = new HashMap<>();
    external.put("expected", prepared.expected());
    List<EvalSelection> selections = request.evaluators().stream()
        .map(spec -> new EvalSelection(spec, external)).toList();
    RunRequest run = prepared.run();
    EvalJobWorkflow job = Workflow.newChildWorkflowStub(EvalJobWorkflow.class, childOptions(
        EvalJobWorkflow.workflowId(run.orgCode(), prepared.evalJobId()),
        "experiment `" + request.experimentId() + "` row " + (row + 1) + " · " + selections.size()
            + " evaluations of run `" + run.runId() + "`"));
    return job.run(new EvalJobRequest(prepared.evalJobId(), run.orgCode(), run.runId(), run.flowSlug(),
        run.input(), result.output(), selections)).results();
  }

  /**
   * Children are cancelled with the experiment, which waits until they have recorded it; an experiment that
   * closes any other way asks them to cancel.
   */
  private static ChildWorkflowOptions childOptions(String workflowId, String summary) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(Workflow.getInfo().getTaskQueue())
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary(summary)
        .build();
  }

  /** The child's own failure message, not the wrappers around it; a cancel of this experiment is rethrown. */
  private static String reason(ChildWorkflowFailure failure) {
    if (failure.getCause() instanceof CanceledFailure) {
      if (CancellationScope.current().isCancelRequested()) throw new CanceledFailure("experiment cancelled");
      return "it was cancelled";
    }
    ApplicationFailure cause = rootApplicationFailure(failure);
    return cause == null ? String.valueOf(failure.getCause()) : cause.getOriginalMessage();
  }

  private static ApplicationFailure rootApplicationFailure(Throwable failure) {
    ApplicationFailure found = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) {
        found = af;
        break;
      }
      if (!(t instanceof TemporalFailure)) break;
    }
    return found;
  }
}
