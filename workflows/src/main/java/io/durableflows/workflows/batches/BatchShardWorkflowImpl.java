package io.durableflows.workflows.batches;

import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.ActivityPolicies;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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

public class BatchShardWorkflowImpl implements BatchShardWorkflow {
  private final BatchActivities store =
      Workflow.newLocalActivityStub(BatchActivities.class, ActivityPolicies.store("batch bookkeeping"));
  private int running;

  @Override
  public void run(ShardSpec shard) {
    if (BatchPlan.FLOW.equals(shard.kind())) {
      runFlowItems(shard);
    } else {
      runChunks(shard);
    }
  }

  /** Chunks of {@link BatchWorkflow#CHUNK_SIZE} items; the shard's concurrency split into threads per chunk. */
  private void runChunks(ShardSpec shard) {
    int threads = Math.min(shard.concurrency(), BatchWorkflow.CHUNK_THREADS);
    int parallel = Math.max(1, shard.concurrency() / threads);
    List<Promise<Void>> chunks = new ArrayList<>();
    for (int from = shard.from(); from < shard.to(); from += BatchWorkflow.CHUNK_SIZE) {
      int a = from;
      int b = Math.min(shard.to(), from + BatchWorkflow.CHUNK_SIZE);
      Workflow.await(() -> running < parallel);
      running++;
      chunks.add(Async.procedure(() -> {
        try {
          runChunk(shard, a, b, threads);
        } finally {
          running--;
        }
      }));
    }
    Promise.allOf(chunks).get();
  }

  private void runChunk(ShardSpec shard, int from, int to, int threads) {
    BatchActivities chunks = Workflow.newActivityStub(BatchActivities.class,
        ActivityPolicies.batchChunk("batch `" + shard.batchId() + "` · items " + from + "–" + (to - 1)));
    try {
      chunks.runChunk(new ChunkSpec(shard.batchId(), shard.orgCode(), from, to, threads));
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure c) throw c;
      store.failPending(shard.batchId(), from, to, BatchFailures.ATTEMPTS_EXHAUSTED,
          "every attempt failed: " + message(failure.getCause()));
    }
  }

  /** Each pending item as a child run of the batch's flow, at most the shard's concurrency at a time. */
  private void runFlowItems(ShardSpec shard) {
    List<Integer> pending = store.pending(shard.batchId(), shard.from(), shard.to());
    List<Promise<Void>> items = new ArrayList<>();
    for (int idx : pending) {
      Workflow.await(() -> running < shard.concurrency());
      running++;
      items.add(Async.procedure(() -> {
        try {
          runItem(shard, idx);
        } finally {
          running--;
        }
      }));
    }
    Promise.allOf(items).get();
  }

  private void runItem(ShardSpec shard, int idx) {
    String runId = BatchActivities.itemRunId(shard.batchId(), idx);
    RunRequest request = store.prepareItemRun(shard.batchId(), idx, runId);
    if (request == null) return;
    FlowRunWorkflow child = Workflow.newChildWorkflowStub(FlowRunWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(FlowRunWorkflow.workflowId(request.orgCode(), request.flowSlug(), runId))
        .setTaskQueue(Workflow.getInfo().getTaskQueue())
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary("batch `" + shard.batchId() + "` · item " + idx + " · flow **" + request.flowSlug()
            + "** · version **" + request.version() + "**")
        .build());
    try {
      RunResult result = child.run(request);
      store.record(new ItemOutcome(shard.batchId(), idx, runId, "completed", result.output(), null, null,
          result.usage(), result.costUsd()));
    } catch (ChildWorkflowFailure failure) {
      if (failure.getCause() instanceof CanceledFailure && CancellationScope.current().isCancelRequested()) {
        throw new CanceledFailure("batch cancelled");
      }
      store.record(new ItemOutcome(shard.batchId(), idx, runId, "failed", null, BatchFailures.RUN_FAILED,
          message(failure.getCause()), Usage.ZERO, 0));
    }
  }

  private static String message(Throwable cause) {
    if (cause instanceof ApplicationFailure af) return af.getOriginalMessage();
    if (cause instanceof TemporalFailure tf) return tf.getOriginalMessage();
    return String.valueOf(cause);
  }
}
