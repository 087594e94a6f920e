package io.durableflows.workflows.store;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Persistence the run workflow does itself, so a run's record is final even when no API waits for it. */
@ActivityInterface
public interface RunStoreActivities {
  @ActivityMethod(name = "RecordRunOutcome")
  void recordOutcome(RunOutcome outcome);
}
