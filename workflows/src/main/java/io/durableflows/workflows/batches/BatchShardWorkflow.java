package io.durableflows.workflows.batches;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One shard of a batch: an operation shard runs its items in chunk activities; a flow shard runs each pending item
 * as a child run of the batch's flow. At most the shard's concurrency at a time; every item ends recorded
 * (completed or failed) unless the batch is cancelled.
 */
@WorkflowInterface
public interface BatchShardWorkflow {
  @WorkflowMethod(name = "BatchShard")
  void run(ShardSpec shard);

  /** {@code batch/<org>/<batchId>/shard-<n>}. */
  static String workflowId(String orgCode, String batchId, int shard) {
    return BatchWorkflow.workflowId(orgCode, batchId) + "/shard-" + shard;
  }
}
