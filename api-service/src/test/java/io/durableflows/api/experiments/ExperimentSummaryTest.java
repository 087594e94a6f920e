package io.durableflows.api.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durableflows.api.experiments.ExperimentRepository.Verdict;
import io.durableflows.api.experiments.ExperimentSummary.RowStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's maths: percentiles, histogram, pass rate, averages, deltas, and what counts as improved. */
class ExperimentSummaryTest {
  private static RowStats passed(double score, long latency) {
    return new RowStats(true, score, true, latency, 10, 0.001);
  }

  private static RowStats notPassed(double score, long latency) {
    return new RowStats(true, score, false, latency, 10, 0.001);
  }

  private static RowStats failed() {
    return new RowStats(false, null, false, null, 4, 0.0005);
  }

  @Test
  void percentile_isNearestRank() {
    long[] values = {15, 20, 35, 40, 50};

    assertThat(ExperimentSummary.percentile(values, 50)).isEqualTo(35);
    assertThat(ExperimentSummary.percentile(values, 95)).isEqualTo(50);
    assertThat(ExperimentSummary.percentile(values, 30)).isEqualTo(20);
    assertThat(ExperimentSummary.percentile(new long[] {7}, 95)).isEqualTo(7);
  }

  @Test
  void percentile_ofAHundredValues_p95IsThe95th() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) values[99 - i] = i + 1;

    assertThat(ExperimentSummary.percentile(values, 50)).isEqualTo(50);
    assertThat(ExperimentSummary.percentile(values, 95)).isEqualTo(95);
  }

  @Test
  void percentile_ofNothing_isRefused() {
    assertThatThrownBy(() -> ExperimentSummary.percentile(new long[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void histogram_putsScoresInTenBucketsOverZeroToOne_theLastHoldingOne() {
    List<Map<String, Object>> buckets = ExperimentSummary.histogram(new double[] {0, 0.05, 0.1, 0.55, 0.99, 1, 1});

    assertThat(buckets).hasSize(10);
    assertThat(buckets.getFirst()).containsEntry("from", 0.0).containsEntry("to", 0.1).containsEntry("count", 2L);
    assertThat(buckets.get(1)).containsEntry("from", 0.1).containsEntry("count", 1L);
    assertThat(buckets.get(5)).containsEntry("from", 0.5).containsEntry("to", 0.6).containsEntry("count", 1L);
    assertThat(buckets.getLast()).containsEntry("from", 0.9).containsEntry("to", 1.0).containsEntry("count", 3L);
    assertThat(buckets.stream().mapToLong(b -> (Long) b.get("count")).sum()).isEqualTo(7);
  }

  @Test
  void histogram_widensToScoresAboveOne() {
    List<Map<String, Object>> buckets = ExperimentSummary.histogram(new double[] {1, 3, 5});

    assertThat(buckets.getFirst()).containsEntry("from", 0.0).containsEntry("to", 0.5);
    assertThat(buckets.getLast()).containsEntry("from", 4.5).containsEntry("to", 5.0).containsEntry("count", 1L);
    assertThat(buckets.get(2)).containsEntry("from", 1.0).containsEntry("count", 1L);
    assertThat(buckets.get(6)).containsEntry("from", 3.0).containsEntry("count", 1L);
  }

  @Test
  void histogram_ofNoScores_isEmpty() {
    assertThat(ExperimentSummary.histogram(new double[0])).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void summary_countsFailedRowsAsNotPassed_andScoresOnlyCompletedRows() {
    Map<String, Object> s = ExperimentSummary.of(List.of(passed(1, 100), passed(1, 300), notPassed(0, 200),
        failed()));

    assertThat(s).containsEntry("rows", 4).containsEntry("pass_rate", 0.5).containsEntry("passed", 2L);
    Map<String, Object> score = (Map<String, Object>) s.get("score");
    assertThat(score).containsEntry("mean", 0.6667).containsEntry("min", 0.0).containsEntry("max", 1.0);
    assertThat((List<?>) score.get("distribution")).hasSize(10);
    assertThat((Map<String, Object>) s.get("latency_ms")).containsEntry("p50", 200L).containsEntry("p95", 300L);
    assertThat((Map<String, Object>) s.get("tokens")).containsEntry("total", 34L).containsEntry("per_row", 8.5);
    assertThat((Map<String, Object>) s.get("cost_usd")).containsEntry("total", 0.0035)
        .containsEntry("per_row", 0.000875);
  }

  @Test
  @SuppressWarnings("unchecked")
  void summary_withoutEvaluators_hasNoPassRate() {
    Map<String, Object> s = ExperimentSummary.of(List.of(new RowStats(true, null, null, 50L, 3, 0)));

    assertThat(s.get("pass_rate")).isNull();
    assertThat(((Map<String, Object>) s.get("score")).get("mean")).isNull();
    assertThat((Map<String, Object>) s.get("latency_ms")).containsEntry("p50", 50L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void summary_ofNoRows_hasNullsNotZeros() {
    Map<String, Object> s = ExperimentSummary.of(List.of());

    assertThat(s.get("pass_rate")).isNull();
    assertThat((Map<String, Object>) s.get("latency_ms")).containsEntry("p50", null);
    assertThat((Map<String, Object>) s.get("tokens")).containsEntry("total", 0L).containsEntry("per_row", null);
  }

  @Test
  void deltas_areBMinusA() {
    Map<String, Object> a = ExperimentSummary.of(List.of(notPassed(0, 100), notPassed(0.5, 200)));
    Map<String, Object> b = ExperimentSummary.of(List.of(passed(1, 150), notPassed(0.5, 400)));

    Map<String, Object> d = ExperimentSummary.deltas(a, b);

    assertThat(d).containsEntry("pass_rate", 0.5).containsEntry("score_mean", 0.5)
        .containsEntry("latency_p50_ms", 50L).containsEntry("latency_p95_ms", 200L)
        .containsEntry("tokens_per_row", 0.0).containsEntry("cost_usd_per_row", 0.0);
  }

  @Test
  void change_passingBeatsCompletingBeatsFailing_thenTheHigherScore() {
    Verdict failedRow = new Verdict(false, false, null);
    Verdict completedNotPassed = new Verdict(true, false, 0.2);
    Verdict completedNotPassedHigher = new Verdict(true, false, 0.4);
    Verdict passedRow = new Verdict(true, true, 1.0);

    assertThat(ExperimentComparison.change(failedRow, completedNotPassed)).isEqualTo("improved");
    assertThat(ExperimentComparison.change(passedRow, completedNotPassed)).isEqualTo("regressed");
    assertThat(ExperimentComparison.change(completedNotPassed, completedNotPassedHigher)).isEqualTo("improved");
    assertThat(ExperimentComparison.change(passedRow, passedRow)).isEqualTo("unchanged");
    assertThat(ExperimentComparison.change(null, passedRow)).isNull();
  }
}
