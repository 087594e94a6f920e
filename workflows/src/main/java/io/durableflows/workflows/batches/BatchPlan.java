package io.durableflows.workflows.batches;

/**
 * A batch to run: {@code total} items of kind {@code flow} (each a child run of the batch's flow) or
 * {@code operation} (a completion operation per item), at most {@code concurrency} at a time. {@code nextShard} is
 * where this execution starts (0, or where the previous one continued as new). Everything else (items, flow,
 * options) is in PostgreSQL under {@code batchId}.
 */
public record BatchPlan(String batchId, String orgCode, String kind, int total, int concurrency, int nextShard) {
  public static final String FLOW = "flow";
  public static final String OPERATION = "operation";

  public BatchPlan continuedAt(int shard) {
    return new BatchPlan(batchId, orgCode, kind, total, concurrency, shard);
  }

  /** Items per shard workflow: flow items cost a child workflow each, operation items a share of a chunk. */
  public int shardSize() {
    return FLOW.equals(kind) ? BatchWorkflow.FLOW_SHARD_SIZE : BatchWorkflow.OPERATION_SHARD_SIZE;
  }

  public int shardCount() {
    return (total + shardSize() - 1) / shardSize();
  }

  /** Shards running at once: a few, so one slow shard's tail does not idle the rest. */
  public int parallelShards() {
    return Math.max(1, Math.min(Math.min(shardCount(), BatchWorkflow.MAX_PARALLEL_SHARDS), concurrency));
  }

  /** The items one shard runs at once: the batch's concurrency shared among the shards running. */
  public int shardConcurrency() {
    return Math.max(1, concurrency / parallelShards());
  }
}
