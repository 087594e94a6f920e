package io.durableflows.workflows.batches;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A batch: shards its items into {@link BatchShardWorkflow} children, a few at a time, and continues as new every
 * {@link #SHARDS_PER_RUN} shards, so no history grows with the batch. Progress is counted in PostgreSQL, not
 * carried here. Cancelling it cancels its shards and marks the items not yet finished {@code cancelled}.
 */
@WorkflowInterface
public interface BatchWorkflow {
  /** Items per shard of a flow batch: each is a child run, about a dozen history events in the shard. */
  int FLOW_SHARD_SIZE = 100;
  /** Items per shard of an operation batch: they run in chunk activities of {@link #CHUNK_SIZE}. */
  int OPERATION_SHARD_SIZE = 1000;
  /** Items per chunk activity. */
  int CHUNK_SIZE = 50;
  /** Items one chunk activity runs at once, at most. */
  int CHUNK_THREADS = 8;
  int MAX_PARALLEL_SHARDS = 4;
  /** Shards one execution of the batch workflow starts before it continues as new. */
  int SHARDS_PER_RUN = 50;

  @WorkflowMethod(name = "Batch")
  void run(BatchPlan plan);

  /** A readable workflow id: {@code batch/<org>/<batchId>}. */
  static String workflowId(String orgCode, String batchId) {
    return "batch/" + orgCode + "/" + batchId;
  }
}
