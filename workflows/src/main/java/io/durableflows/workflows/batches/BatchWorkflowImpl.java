package io.durableflows.workflows.batches;

import io.durableflows.workflows.run.ActivityPolicies;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class BatchWorkflowImpl implements BatchWorkflow {
  private final BatchActivities store =
      Workflow.newLocalActivityStub(BatchActivities.class, ActivityPolicies.store("batch bookkeeping"));
  private int running;

  @Override
  public void run(BatchPlan plan) {
    try {
      if (plan.nextShard() == 0) store.start(plan.batchId());
      int end = Math.min(plan.shardCount(), plan.nextShard() + SHARDS_PER_RUN);
      List<Promise<Void>> shards = new ArrayList<>();
      for (int shard = plan.nextShard(); shard < end; shard++) {
        Workflow.await(() -> running < plan.parallelShards());
        int n = shard;
        running++;
        shards.add(Async.procedure(() -> {
          try {
            runShard(plan, n);
          } finally {
            running--;
          }
        }));
      }
      Promise.allOf(shards).get();
      if (end < plan.shardCount()) {
        Workflow.continueAsNew(plan.continuedAt(end));
        return;
      }
      store.finish(plan.batchId(), "completed", null);
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(() -> store.finish(plan.batchId(), "cancelled", null)).run();
      throw e;
    }
  }

  /** A shard that fails as a whole (it records its own item failures, so this is unexpected) fails its items. */
  private void runShard(BatchPlan plan, int shard) {
    int from = shard * plan.shardSize();
    int to = Math.min(plan.total(), from + plan.shardSize());
    BatchShardWorkflow child = Workflow.newChildWorkflowStub(BatchShardWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(BatchShardWorkflow.workflowId(plan.orgCode(), plan.batchId(), shard))
        .setTaskQueue(Workflow.getInfo().getTaskQueue())
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setStaticSummary("batch `" + plan.batchId() + "` · shard " + shard + " · items " + from + "–" + (to - 1))
        .build());
    try {
      child.run(new ShardSpec(plan.batchId(), plan.orgCode(), plan.kind(), shard, from, to, plan.shardConcurrency()));
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof CanceledFailure && CancellationScope.current().isCancelRequested()) {
        throw new CanceledFailure("batch cancelled");
      }
      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
      store.failPending(plan.batchId(), from, to, BatchFailures.ATTEMPTS_EXHAUSTED, "the shard failed: "
          + (cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : cause.getMessage()));
    }
  }
}
