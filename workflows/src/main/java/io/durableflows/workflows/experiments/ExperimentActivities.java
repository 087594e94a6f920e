package io.durableflows.workflows.experiments;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What an experiment reads from and writes to PostgreSQL; each is idempotent, so retries are harmless. */
@ActivityInterface
public interface ExperimentActivities {
  /**
   * Reads row {@code row} of the experiment's dataset, checks its input against the release's input schema and
   * records its run ({@code runs} row, status running, channel {@code experiment}); idempotent by the run id, which
   * is derived from the experiment and the row. Fails non-retryably with one of
   * {@link ExperimentFailures#NON_RETRYABLE}.
   */
  @ActivityMethod(name = "PrepareExperimentRow")
  PreparedRow prepareRow(String experimentId, int row);

  /** Writes the row's result (once: a retry finds it written). */
  @ActivityMethod(name = "RecordExperimentRow")
  void recordRow(RowOutcome outcome);

  /** Marks the experiment {@code completed} or {@code cancelled}. */
  @ActivityMethod(name = "RecordExperimentStatus")
  void recordStatus(String experimentId, String status);
}
