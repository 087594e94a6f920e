package io.durableflows.workflows.batches;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchWorkflowTest {
  @Test
  void operationBatch_chunkFailingEveryAttempt_failsOnlyItsItems_andTheBatchCompletes() {
    BatchHistoryRecorder.Scenario scenario = BatchHistoryRecorder.SCENARIOS.get("operation");
    FakeBatchActivities activities = new FakeBatchActivities(scenario.failingChunks(), scenario.runnable());

    try (TestWorkflowEnvironment env = BatchHistoryRecorder.run(scenario, activities)) {
      assertThat(activities.calls).contains("failPending 1050-1100 attempts_exhausted");
      assertThat(activities.calls.stream().filter(c -> c.equals("chunk 1050-1100")).count()).isEqualTo(3);
      assertThat(activities.calls.stream().filter(c -> c.startsWith("chunk ")).distinct().count()).isEqualTo(42);
      assertThat(activities.calls.getLast()).isEqualTo("finish completed");
    }
  }

  @Test
  void flowBatch_runsOnlyPendingItems_aFailedRunFailsItsItemOnly() {
    BatchHistoryRecorder.Scenario scenario = BatchHistoryRecorder.SCENARIOS.get("flow");
    FakeBatchActivities activities = new FakeBatchActivities(scenario.failingChunks(), scenario.runnable());

    try (TestWorkflowEnvironment env = BatchHistoryRecorder.run(scenario, activities)) {
      List<String> records = activities.calls.stream().filter(c -> c.startsWith("record ")).toList();
      assertThat(records).hasSize(30).contains("record 3 failed", "record 4 completed", "record 109 completed")
          .doesNotContain("record 20 completed");
      assertThat(activities.calls.getLast()).isEqualTo("finish completed");
    }
  }

  @Test
  void batchOfManyShards_continuesAsNew_andStartsOnlyOnce() {
    BatchHistoryRecorder.Scenario scenario = BatchHistoryRecorder.SCENARIOS.get("continued");
    FakeBatchActivities activities = new FakeBatchActivities(scenario.failingChunks(), scenario.runnable());

    try (TestWorkflowEnvironment env = BatchHistoryRecorder.run(scenario, activities)) {
      var last = env.getWorkflowClient().fetchHistory("batch/acme/bat_many");
      assertThat(last.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId())
          .isNotEmpty();
      assertThat(last.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      assertThat(activities.calls.stream().filter(c -> c.equals("start")).count()).isEqualTo(1);
      assertThat(activities.calls).containsOnlyOnce("finish completed");
    }
  }

  @Test
  void plan_sharesConcurrencyAmongAFewShards() {
    BatchPlan plan = new BatchPlan("b", "o", BatchPlan.OPERATION, 10_000, 16, 0);

    assertThat(plan.shardCount()).isEqualTo(10);
    assertThat(plan.parallelShards()).isEqualTo(BatchWorkflow.MAX_PARALLEL_SHARDS);
    assertThat(plan.shardConcurrency()).isEqualTo(4);
    assertThat(new BatchPlan("b", "o", BatchPlan.FLOW, 150, 1, 0).parallelShards()).isEqualTo(1);
    assertThat(Set.of(plan.shardSize())).containsExactly(BatchWorkflow.OPERATION_SHARD_SIZE);
  }
}
