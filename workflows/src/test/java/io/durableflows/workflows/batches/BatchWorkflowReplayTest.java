package io.durableflows.workflows.batches;

import io.durableflows.workflows.Replays;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded batch histories (written by {@link BatchHistoryRecorder}) against the current code of the batch
 * and shard workflows: a change to the commands they issue fails here before it breaks batches in flight.
 */
class BatchWorkflowReplayTest {
  private static WorkflowExecutionHistory history(String name) {
    try (InputStream in = BatchWorkflowReplayTest.class.getResourceAsStream("/histories/batches/" + name + ".json")) {
      assertThat(in).as("histories/batches/" + name + ".json").isNotNull();
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"operation-batch", "flow-batch", "continued-batch"})
  void batchHistory_replaysWithoutNonDeterminism(String name) throws Exception {
    Replays.replay(history(name), BatchWorkflowImpl.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"operation-shard-1", "flow-shard-0"})
  void shardHistory_replaysWithoutNonDeterminism(String name) throws Exception {
    Replays.replay(history(name), BatchShardWorkflowImpl.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"continued-batch"})
  void aBatchOfManyShards_recordedContinuingAsNew(String name) {
    assertThat(history(name).getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  }
}
