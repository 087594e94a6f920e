package io.durableflows.workflows.store;

import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
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
}
