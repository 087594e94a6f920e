package io.durableflows.workflows.batches;

import io.durableflows.workflows.run.RunRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * What batch workflows do in PostgreSQL and with models. Every write is keyed by (batch, item) and applies only to
 * pending items, so retries and replays never record an item twice.
 */
@ActivityInterface
public interface BatchActivities {
  /**
   * Runs the pending items of a chunk of an operation batch (several at a time), recording each item's output or
   * error as it finishes and heartbeating the count. An item whose provider failure may pass (429, 5xx, timeout)
   * fails the chunk after the others are recorded, so Temporal retries it and only that item runs again; on the
   * chunk's last attempt it is recorded failed instead.
   */
  @ActivityMethod(name = "RunBatchChunk")
  ChunkReport runChunk(ChunkSpec chunk);

  /** Marks the batch running (first execution only). */
  @ActivityMethod(name = "StartBatch")
  void start(String batchId);

  /** The indexes of items {@code from}..{@code to} (exclusive) still pending, in order. */
  @ActivityMethod(name = "PendingBatchItems")
  List<Integer> pending(String batchId, int from, int to);

  /**
   * Records the items of {@code from}..{@code to} (exclusive) still pending as failed with this error: what is left
   * when a chunk failed on every attempt.
   */
  @ActivityMethod(name = "FailPendingBatchItems")
  int failPending(String batchId, int from, int to, String error, String message);

  /**
   * Records the child run of a flow batch's item (a {@code runs} row, channel {@code batch}; idempotent by
   * {@code runId}) and returns its request; null when the item is no longer pending or its input does not fit the
   * flow (then it is recorded failed).
   */
  @ActivityMethod(name = "PrepareBatchItemRun")
  RunRequest prepareItemRun(String batchId, int idx, String runId);

  @ActivityMethod(name = "RecordBatchItem")
  void record(ItemOutcome outcome);

  /**
   * Ends the batch: {@code completed}, {@code cancelled} (items still pending are marked cancelled; finished ones
   * keep their output) or {@code failed} with a message.
   */
  @ActivityMethod(name = "FinishBatch")
  void finish(String batchId, String status, String message);

  /** The id of an item's child run: derived from the batch and the index, so replays and retries name the same. */
  static String itemRunId(String batchId, int idx) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest((batchId + "/item/" + idx).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "run_" + java.util.HexFormat.of().formatHex(digest).substring(0, 20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
