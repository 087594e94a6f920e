package io.durableflows.workflows.batches;

import io.durableflows.workflows.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Records the batch histories {@link BatchWorkflowReplayTest} replays (src/test/resources/histories/batches). A tool,
 * not a test; run it like {@code run/HistoryRecorder} (its javadoc has the command), with this class's name, after an
 * intended change to the batch workflows' command sequences.
 */
public final class BatchHistoryRecorder {
  private BatchHistoryRecorder() {}

  /** Scenario name to plan; the fake's failing chunk and runnable items. */
  record Scenario(BatchPlan plan, Set<Integer> failingChunks, Set<Integer> runnable, Map<String, String> histories) {}

  static final Map<String, Scenario> SCENARIOS = Map.of(
      // 3 shards of 1000 / 1000 / 100 items; the chunk at 1050 fails every attempt, its items are failed.
      "operation", new Scenario(new BatchPlan("bat_op", "acme", BatchPlan.OPERATION, 2100, 16, 0), Set.of(1050),
          Set.of(), Map.of("operation-batch", "batch/acme/bat_op", "operation-shard-1", "batch/acme/bat_op/shard-1")),
      // 2 shards; items 0-19 and 100-109 pending (the rest recorded before), item 3's run fails.
      "flow", new Scenario(new BatchPlan("bat_flow", "acme", BatchPlan.FLOW, 150, 4, 0), Set.of(),
          IntStream.concat(IntStream.range(0, 20), IntStream.range(100, 110)).boxed().collect(Collectors.toSet()),
          Map.of("flow-batch", "batch/acme/bat_flow", "flow-shard-0", "batch/acme/bat_flow/shard-0")),
      // 51 shards (nothing pending in them): the batch continues as new after 50.
      "continued", new Scenario(new BatchPlan("bat_many", "acme", BatchPlan.FLOW, 5100, 4, 0), Set.of(), Set.of(),
          Map.of("continued-batch", "batch/acme/bat_many")));

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/histories/batches");
    Files.createDirectories(dir);
    for (Scenario scenario : SCENARIOS.values()) {
      try (TestWorkflowEnvironment env = run(scenario, new FakeBatchActivities(scenario.failingChunks(),
          scenario.runnable()))) {
        for (var history : scenario.histories().entrySet()) {
          // The first execution's history: for a batch that continued as new, the one that ends doing so.
          String json = env.getWorkflowClient().fetchHistory(history.getValue(), firstRunId(env, history.getValue()))
              .toJson(true);
          Path file = dir.resolve(history.getKey() + ".json");
          Files.writeString(file, json + "\n");
          System.out.println("wrote " + file);
        }
      }
    }
  }

  private static String firstRunId(TestWorkflowEnvironment env, String workflowId) {
    var history = env.getWorkflowClient().fetchHistory(workflowId);
    return history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
  }

  /** Runs the scenario's batch to its end on a fresh test environment (returned open, for its histories). */
  static TestWorkflowEnvironment run(Scenario scenario, FakeBatchActivities activities) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(BatchWorkflowImpl.class, BatchShardWorkflowImpl.class,
        FakeFlowRun.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
    BatchPlan plan = scenario.plan();
    BatchWorkflow batch = env.getWorkflowClient().newWorkflowStub(BatchWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(BatchWorkflow.workflowId(plan.orgCode(), plan.batchId())).setTaskQueue(TaskQueues.FLOWS).build());
    batch.run(plan);
    return env;
  }
}
