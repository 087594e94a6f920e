package io.durableflows.workflows.experiments;

import io.durableflows.workflows.evals.EvalResult;
import java.util.List;

/**
 * How one row ended: {@code status} {@code completed} (the run completed and was evaluated) or {@code failed}
 * ({@code errorType} and {@code error} say why: the row's input, its run, or its evaluations). {@code runId} is
 * null when no run could be recorded for the row. The run's output, usage, cost and latency are read from its
 * {@code runs} row, so they do not travel through the workflow's history twice.
 */
public record RowOutcome(
    String experimentId, int row, String runId, String status, String errorType, String error,
    List<EvalResult> evaluations) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  public RowOutcome {
    evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
  }
}
