package io.durableflows.api.batches;

/** Item counts of a batch, from {@code batch_items}, and what its finished items cost. */
record Progress(int completed, int failed, int cancelled, long promptTokens, long completionTokens, double costUsd) {
  /** A batch without items yet. */
  static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

  int done() {
    return completed + failed;
  }
}
