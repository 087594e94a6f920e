package io.durableflows.workflows.run;

import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.store.ChildRunSpec;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs published flows as child runs of the current run, from workflow code: each child is its own
 * {@link FlowRunWorkflow} execution (own history, workflow id {@code run/<org>/<flow>/<childRunId>}, same task queue)
 * and its own {@code runs} row, visible at {@code GET /api/v1/runs/{child}} like any run. Cancelling the parent
 * cancels its children and waits until they have recorded it; a parent that closes any other way asks them to
 * cancel.
 *
 * <p>A child's run id is derived from the parent's run id, the node and an index, so replays and retries name the
 * same child. The parent's event log gets {@code subflow_started} and {@code subflow_finished}
 * ({@code child_run_id}, {@code flow}...). Failures come back as {@link ChildRunFailure}.
 */
public final class ChildRuns {
  public static final String SUBFLOW_STARTED = "subflow_started";
  public static final String SUBFLOW_FINISHED = "subflow_finished";
  /** How deep child runs may nest (a parent is depth 0). */
  public static final int MAX_DEPTH = 8;
  /** Resolving and recording the child: a local activity, retried until the database answers, except refusals. */
  static final LocalActivityOptions PREPARE = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setDoNotRetry(ChildRunFailure.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  private final RunRequest parent;
  private final RunJournal journal;

  ChildRuns(RunRequest parent, RunJournal journal) {
    this.parent = parent;
    this.journal = journal;
  }

  /** The id of the child run that node {@code nodeId} starts as its {@code index}-th (from 1) child. */
  public static String childRunId(String parentRunId, String nodeId, int index) {
    return "run_" + RequestIds.of(parentRunId, nodeId + "#child", index);
  }

  /**
   * The id of the child run started under {@code key} by node {@code nodeId}: for callers whose children are named
   * by a journal key rather than counted (an agent's tool call, {@code <run>/<node>/turn-3/call-1}).
   */
  public static String childRunId(String parentRunId, String nodeId, String key) {
    return "run_" + RequestIds.of(parentRunId, nodeId + "#child/" + key, 1);
  }

  /**
   * Runs the flow as a child and waits for it.
   *
   * @throws ChildRunFailure when it cannot start or does not complete
   * @throws CanceledFailure when this run is cancelled meanwhile (the child is cancelled with it)
   */
  public RunResult run(String nodeId, int index, String flow, String version, Map<String, Object> input) {
    return start(nodeId, index, flow, version, input).get();
  }

  /**
   * Starts the flow as a child in its own workflow thread and returns at once: several children run in parallel.
   * The promise fails with {@link ChildRunFailure} (or {@link CanceledFailure} when this run is cancelled).
   */
  public Promise<RunResult> start(String nodeId, int index, String flow, String version, Map<String, Object> input) {
    String childRunId = childRunId(parent.runId(), nodeId, index);
    return Async.function(() -> runChild(childRunId, nodeId, flow, version, input));
  }

  /**
   * {@link #start(String, int, String, String, Map)} for a child named by a key (see
   * {@link #childRunId(String, String, String)}).
   */
  public Promise<RunResult> start(String nodeId, String key, String flow, String version, Map<String, Object> input) {
    String childRunId = childRunId(parent.runId(), nodeId, key);
    return Async.function(() -> runChild(childRunId, nodeId, flow, version, input));
  }

  private RunResult runChild(String childRunId, String nodeId, String flow, String version, Map<String, Object> input) {
    RunStoreActivities store = Workflow.newLocalActivityStub(RunStoreActivities.class,
        LocalActivityOptions.newBuilder(PREPARE).setSummary("prepare child run of node " + nodeId).build());
    RunRequest request;
    try {
      request = store.prepareChildRun(new ChildRunSpec(parent.runId(), childRunId, nodeId, flow, version, input,
          ChildRunSpec.SUBFLOW));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure c) throw c;
      ApplicationFailure cause = rootApplicationFailure(failure);
      throw new ChildRunFailure(cause == null ? ChildRunFailure.FAILED : cause.getType(), childRunId, flow,
          "sub-flow '" + flow + "': " + (cause == null ? failure.getMessage() : cause.getOriginalMessage()));
    }
    String workflowId = FlowRunWorkflow.workflowId(request.orgCode(), request.flowSlug(), request.runId());
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("child_run_id", childRunId);
    started.put("flow", request.flowSlug());
    started.put("version", request.version());
    started.put("workflow_id", workflowId);
    journal.append(SUBFLOW_STARTED, nodeId, started);
    FlowRunWorkflow child = Workflow.newChildWorkflowStub(FlowRunWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(Workflow.getInfo().getTaskQueue())
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary("child of run `" + parent.runId() + "` (node **" + nodeId + "**) · flow **"
            + request.flowSlug() + "** · version **" + request.version() + "**")
        .build());
    try {
      RunResult result = child.run(request);
      journal.append(SUBFLOW_FINISHED, nodeId, finished(childRunId, request, "completed", null));
      return result;
    } catch (ChildWorkflowFailure failure) {
      boolean cancelled = failure.getCause() instanceof CanceledFailure;
      if (cancelled && CancellationScope.current().isCancelRequested()) {
        journal.append(SUBFLOW_FINISHED, nodeId, finished(childRunId, request, "cancelled", null));
        throw new CanceledFailure("run cancelled");
      }
      // The child's own failure ("node 'x' failed: ..."), not the activity failure under it.
      String reason = cancelled ? "the child run was cancelled"
          : failure.getCause() instanceof ApplicationFailure af ? af.getOriginalMessage()
          : String.valueOf(failure.getCause());
      journal.append(SUBFLOW_FINISHED, nodeId, finished(childRunId, request, cancelled ? "cancelled" : "failed",
          reason));
      throw new ChildRunFailure(cancelled ? ChildRunFailure.CANCELLED : ChildRunFailure.FAILED, childRunId,
          request.flowSlug(), "sub-flow '" + request.flowSlug() + "' (run " + childRunId + ") "
              + (cancelled ? "was cancelled" : "failed: " + reason));
    }
  }

  private static Map<String, Object> finished(String childRunId, RunRequest request, String status, String error) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("child_run_id", childRunId);
    data.put("flow", request.flowSlug());
    data.put("status", status);
    if (error != null) data.put("message", error);
    return data;
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
