package io.durableflows.workflows.experiments;

import java.util.List;

/** Failure types of an experiment's rows. */
public final class ExperimentFailures {
  /** The row's input does not fit the flow's input schema (the row fails; the experiment goes on). */
  public static final String INVALID_ROW_INPUT = "InvalidRowInput";
  /** The experiment, its dataset row or its flow release no longer exists. */
  public static final String NOT_FOUND = "ExperimentNotFound";
  /** The row's run did not complete. */
  public static final String RUN_FAILED = "RunFailed";
  /** The row's evaluations did not complete. */
  public static final String EVALUATION_FAILED = "EvaluationFailed";
  /** What preparing a row fails with for good: a retry cannot change the answer. */
  public static final List<String> NON_RETRYABLE = List.of(INVALID_ROW_INPUT, NOT_FOUND);

  private ExperimentFailures() {}
}
