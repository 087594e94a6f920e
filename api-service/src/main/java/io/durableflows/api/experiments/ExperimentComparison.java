package io.durableflows.api.experiments;

import io.durableflows.api.experiments.ExperimentRepository.Verdict;

/** Whether a row did better in experiment b than in experiment a. */
final class ExperimentComparison {
  static final String IMPROVED = "improved";
  static final String REGRESSED = "regressed";
  static final String UNCHANGED = "unchanged";

  private ExperimentComparison() {}

  /**
   * Passing beats completing without passing, which beats failing; between equals, the higher score wins. Null when
   * either side has not finished the row.
   */
  static String change(Verdict a, Verdict b) {
    if (a == null || b == null) return null;
    int byRank = Integer.compare(rank(b), rank(a));
    if (byRank == 0 && a.score() != null && b.score() != null) byRank = Double.compare(b.score(), a.score());
    return byRank > 0 ? IMPROVED : byRank < 0 ? REGRESSED : UNCHANGED;
  }

  private static int rank(Verdict v) {
    if (!v.completed()) return 0;
    return Boolean.TRUE.equals(v.passed()) ? 2 : 1;
  }
}
