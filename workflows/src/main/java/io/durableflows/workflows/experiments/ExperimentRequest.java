package io.durableflows.workflows.experiments;

import io.durableflows.workflows.evals.EvaluatorSpec;
import java.util.List;

/**
 * An experiment to run: rows {@code 0..total-1} of its dataset, at most {@code concurrency} at a time, starting at
 * {@code nextRow} (each continued execution takes the rows after the previous one's). One execution starts at most
 * {@code rowsPerExecution} rows, then continues as new, so no history grows with the size of the dataset.
 * {@code evaluators} are what each row's output is evaluated with (a snapshot taken when the experiment started).
 */
public record ExperimentRequest(
    String experimentId, String orgCode, String flowSlug, String version, int total, int concurrency,
    List<EvaluatorSpec> evaluators, int rowsPerExecution, int nextRow) {

  /** Rows one execution starts before it continues as new: a few thousand history events at most. */
  public static final int ROWS_PER_EXECUTION = 100;

  public ExperimentRequest {
    evaluators = evaluators == null ? List.of() : List.copyOf(evaluators);
  }

  /** The request the next execution continues with, from row {@code next}. */
  ExperimentRequest from(int next) {
    return new ExperimentRequest(experimentId, orgCode, flowSlug, version, total, concurrency, evaluators,
        rowsPerExecution, next);
  }
}
