package io.durableflows.workflows.evals;

import io.durableflows.workflows.llm.Usage;
import java.util.List;

/**
 * Totals of an eval job: how many evaluations passed, failed (scored below their bar) and errored (could not
 * score), the mean of the scores there are (null when none scored), and what the evaluations spent.
 */
public record EvalSummary(int passed, int failed, int errored, Double scoreMean, Usage usage, double costUsd) {

  public static EvalSummary of(List<EvalResult> results) {
    int passed = 0;
    int failed = 0;
    int errored = 0;
    double scores = 0;
    int scored = 0;
    Usage usage = Usage.ZERO;
    double cost = 0;
    for (EvalResult r : results) {
      if (r.error() != null || r.passed() == null) {
        errored++;
      } else if (r.passed()) {
        passed++;
      } else {
        failed++;
      }
      if (r.score() != null) {
        scores += r.score();
        scored++;
      }
      if (r.usage() != null) usage = usage.plus(r.usage());
      cost += r.costUsd();
    }
    return new EvalSummary(passed, failed, errored, scored == 0 ? null : scores / scored, usage, cost);
  }
}
