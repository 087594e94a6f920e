package io.durableflows.api.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of nanosecond samples, in milliseconds where the benchmarks print them. */
final class Percentiles {
  private Percentiles() {}

  static long of(long[] values, int percentile) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  static double ms(long[] nanos, int percentile) {
    return of(nanos, percentile) / 1e6;
  }
}
