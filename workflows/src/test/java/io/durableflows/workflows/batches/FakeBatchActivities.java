package io.durableflows.workflows.batches;

import io.durableflows.workflows.run.RunRequest;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Batch activities without a database, for workflow tests and recordings: chunks starting at one of
 * {@code failingChunks} fail every attempt; of a flow batch's items only {@code runnable} ones are pending.
 */
final class FakeBatchActivities implements BatchActivities {
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final Set<Integer> failingChunks;
  private final Set<Integer> runnable;

  FakeBatchActivities(Set<Integer> failingChunks, Set<Integer> runnable) {
    this.failingChunks = failingChunks;
    this.runnable = runnable;
  }

  @Override
  public ChunkReport runChunk(ChunkSpec chunk) {
    calls.add("chunk " + chunk.from() + "-" + chunk.to());
    if (failingChunks.contains(chunk.from())) {
      throw ApplicationFailure.newFailure("the provider is down", "ProviderUnavailable");
    }
    return new ChunkReport(chunk.to() - chunk.from(), 0, 0);
  }

  @Override
  public void start(String batchId) {
    calls.add("start");
  }

  @Override
  public List<Integer> pending(String batchId, int from, int to) {
    return IntStream.range(from, to).filter(runnable::contains).boxed().toList();
  }

  @Override
  public int failPending(String batchId, int from, int to, String error, String message) {
    calls.add("failPending " + from + "-" + to + " " + error);
    return to - from;
  }

  @Override
  public RunRequest prepareItemRun(String batchId, int idx, String runId) {
    return new RunRequest(runId, "acme", "qa", "v1", null, Map.of("question", "q" + idx));
  }

  @Override
  public void record(ItemOutcome outcome) {
    calls.add("record " + outcome.idx() + " " + outcome.status());
  }

  @Override
  public void finish(String batchId, String status, String message) {
    calls.add("finish " + status);
  }
}
