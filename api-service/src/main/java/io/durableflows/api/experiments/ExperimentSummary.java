package io.durableflows.api.experiments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's report from its finished rows: pass rate, score statistics and histogram, latency percentiles,
 * tokens and cost. Failed rows count as not passed and are in the per-row averages (their runs spent tokens too),
 * but they have no score or latency.
 */
final class ExperimentSummary {
  /** Buckets of the score histogram. */
  static final int BUCKETS = 10;

  private ExperimentSummary() {}

  /** What the report needs of one finished row. {@code passed} is null when the row was not evaluated. */
  record RowStats(boolean completed, Double score, Boolean passed, Long latencyMs, long tokens, double costUsd) {}

  static Map<String, Object> of(List<RowStats> rows) {
    int finished = rows.size();
    long evaluated = rows.stream().filter(r -> r.passed() != null || !r.completed()).count();
    long passed = rows.stream().filter(r -> Boolean.TRUE.equals(r.passed())).count();
    boolean anyEvaluation = rows.stream().anyMatch(r -> r.passed() != null);
    double[] scores = rows.stream().filter(r -> r.completed() && r.score() != null)
        .mapToDouble(RowStats::score).toArray();
    long[] latencies = rows.stream().filter(r -> r.completed() && r.latencyMs() != null)
        .mapToLong(RowStats::latencyMs).toArray();
    long tokens = rows.stream().mapToLong(RowStats::tokens).sum();
    double cost = rows.stream().mapToDouble(RowStats::costUsd).sum();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", finished);
    out.put("pass_rate", anyEvaluation && evaluated > 0 ? round((double) passed / evaluated) : null);
    out.put("passed", anyEvaluation ? passed : null);
    out.put("score", score(scores));
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", latencies.length == 0 ? null : percentile(latencies, 50));
    latency.put("p95", latencies.length == 0 ? null : percentile(latencies, 95));
    out.put("latency_ms", latency);
    Map<String, Object> tokenStats = new LinkedHashMap<>();
    tokenStats.put("total", tokens);
    tokenStats.put("per_row", finished == 0 ? null : round((double) tokens / finished));
    out.put("tokens", tokenStats);
    Map<String, Object> costStats = new LinkedHashMap<>();
    costStats.put("total", round8(cost));
    costStats.put("per_row", finished == 0 ? null : round8(cost / finished));
    out.put("cost_usd", costStats);
    return out;
  }

  private static Map<String, Object> score(double[] scores) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mean", scores.length == 0 ? null : round(Arrays.stream(scores).average().orElseThrow()));
    out.put("min", scores.length == 0 ? null : round(Arrays.stream(scores).min().orElseThrow()));
    out.put("max", scores.length == 0 ? null : round(Arrays.stream(scores).max().orElseThrow()));
    out.put("distribution", histogram(scores));
    return out;
  }

  /** The nearest-rank percentile: the smallest value at least {@code percentile}% of the values are at or under. */
  static long percentile(long[] values, int percentile) {
    if (values.length == 0) throw new IllegalArgumentException("no values");
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  /**
   * {@link #BUCKETS} equal buckets {@code {from, to, count}} over [0, 1] (the range of every built-in evaluator),
   * widened to take any score outside it (a judge scoring 1 to 5, say); each bucket holds {@code from <= s < to},
   * the last also {@code to} itself. Empty when there are no scores.
   */
  static List<Map<String, Object>> histogram(double[] scores) {
    if (scores.length == 0) return List.of();
    double low = Math.min(0, Arrays.stream(scores).min().orElseThrow());
    double high = Math.max(1, Arrays.stream(scores).max().orElseThrow());
    double width = (high - low) / BUCKETS;
    long[] counts = new long[BUCKETS];
    for (double s : scores) {
      int bucket = (int) Math.floor((s - low) / width);
      counts[Math.min(BUCKETS - 1, Math.max(0, bucket))]++;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < BUCKETS; i++) {
      Map<String, Object> bucket = new LinkedHashMap<>();
      bucket.put("from", round(low + i * width));
      bucket.put("to", round(i == BUCKETS - 1 ? high : low + (i + 1) * width));
      bucket.put("count", counts[i]);
      out.add(bucket);
    }
    return out;
  }

  /** b − a for each headline number of two summaries (null where either side has none). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> deltas(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pass_rate", minus(b.get("pass_rate"), a.get("pass_rate"), 4));
    out.put("score_mean", minus(((Map<String, Object>) b.get("score")).get("mean"),
        ((Map<String, Object>) a.get("score")).get("mean"), 4));
    Map<String, Object> la = (Map<String, Object>) a.get("latency_ms");
    Map<String, Object> lb = (Map<String, Object>) b.get("latency_ms");
    out.put("latency_p50_ms", minus(lb.get("p50"), la.get("p50"), 0));
    out.put("latency_p95_ms", minus(lb.get("p95"), la.get("p95"), 0));
    out.put("tokens_per_row", minus(((Map<String, Object>) b.get("tokens")).get("per_row"),
        ((Map<String, Object>) a.get("tokens")).get("per_row"), 4));
    out.put("cost_usd_per_row", minus(((Map<String, Object>) b.get("cost_usd")).get("per_row"),
        ((Map<String, Object>) a.get("cost_usd")).get("per_row"), 8));
    return out;
  }

  private static Number minus(Object b, Object a, int scale) {
    if (!(a instanceof Number x) || !(b instanceof Number y)) return null;
    if (scale == 0) return y.longValue() - x.longValue();
    return BigDecimal.valueOf(y.doubleValue() - x.doubleValue()).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }

  private static double round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
  }

  private static double round8(double value) {
    return BigDecimal.valueOf(value).setScale(8, RoundingMode.HALF_UP).doubleValue();
  }
}
