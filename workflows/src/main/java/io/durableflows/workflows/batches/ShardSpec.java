package io.durableflows.workflows.batches;

/** One shard of a batch: items {@code from} (inclusive) to {@code to} (exclusive), {@code concurrency} at a time. */
public record ShardSpec(String batchId, String orgCode, String kind, int shard, int from, int to, int concurrency) {}
