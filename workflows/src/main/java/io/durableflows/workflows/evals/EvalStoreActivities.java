package io.durableflows.workflows.evals;

import io.durableflows.workflows.run.RunRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Persistence of eval jobs, done by the job workflow itself (local activities, like the run store's). */
@ActivityInterface
public interface EvalStoreActivities {
  /**
   * Marks the job {@code running}, creating its {@code eval_jobs} row from the request when none exists yet
   * (idempotent by job id).
   */
  @ActivityMethod(name = "RecordEvalJobStarted")
  void jobStarted(EvalJobRequest request);

  /** Records one evaluation's result (idempotent by job id and index). */
  @ActivityMethod(name = "RecordEvalResult")
  void recordResult(String jobId, int index, EvalResult result);

  /** Marks the job {@code completed} with its totals. */
  @ActivityMethod(name = "RecordEvalJobCompleted")
  void jobCompleted(String jobId, EvalSummary summary);

  /**
   * Resolves a {@code flow} evaluator's evaluation flow (config {@code flow}, optional {@code version}) in the run's
   * organization, builds its input from the variables it declares ({@code input}: the run's input, {@code output}:
   * the run's output, {@code expected}, and any other name from the external input or the run's input) and records
   * the child run (parent: the evaluated run, channel {@code eval}). Fails non-retryably with one of
   * {@code ChildRunFailure}'s types.
   */
  @ActivityMethod(name = "PrepareEvalFlowRun")
  RunRequest prepareEvalFlowRun(String childRunId, EvalCall call);
}
