package io.durableflows.workflows.batches;

/**
 * Items {@code from} (inclusive) to {@code to} (exclusive) of an operation batch, for one chunk activity that runs
 * them {@code concurrency} at a time. Items already recorded are skipped, so a retried chunk does only what is left.
 */
public record ChunkSpec(String batchId, String orgCode, int from, int to, int concurrency) {}
