package io.durableflows.workflows.store;

import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.run.RunRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Persistence the run workflow does itself, so a run's record is final even when no API waits for it. */
@ActivityInterface
public interface RunStoreActivities {
  @ActivityMethod(name = "RecordRunOutcome")
  void recordOutcome(RunOutcome outcome);

  /**
   * Lists a request the run now waits on (approvals and questions are listed, counted and answered through
   * PostgreSQL rows; the workflow stays the truth) and marks the run {@code waiting}.
   */
  @ActivityMethod(name = "RecordHumanRequest")
  void recordRequest(String runId, HumanRequest request);

  /** Records how a request ended and marks the run {@code running} again. */
  @ActivityMethod(name = "RecordHumanResolution")
  void recordResolution(String runId, HumanResolution resolution);

  /**
   * Resolves the child's flow, validates its input and records the child run ({@code runs} row, status running,
   * {@code parent_run_id} set); idempotent by the child's run id. Fails non-retryably with one of
   * {@code ChildRunFailure}'s types (unknown flow or release, invalid input, nesting too deep).
   */
  @ActivityMethod(name = "PrepareChildRun")
  RunRequest prepareChildRun(ChildRunSpec spec);
}
