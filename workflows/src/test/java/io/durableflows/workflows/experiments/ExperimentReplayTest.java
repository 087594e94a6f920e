package io.durableflows.workflows.experiments;

import io.durableflows.workflows.Replays;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays experiment histories recorded by {@link ExperimentHistoryRecorder} against the current workflow code: a
 * change to the commands an experiment issues fails here before it breaks experiments in flight.
 */
class ExperimentReplayTest {
  private static String history(String name) {
    try (InputStream in = ExperimentReplayTest.class.getResourceAsStream("/experiment-histories/" + name + ".json")) {
      assertThat(in).as("experiment-histories/" + name + ".json").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<HistoryEvent> events(String name) {
    return WorkflowExecutionHistory.fromJson(history(name)).getEvents();
  }

  private static long count(String name, EventType type) {
    return events(name).stream().filter(e -> e.getEventType() == type).count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"experiment-failing-rows", "experiment-continued"})
  void replay_withRecordedHistory_issuesTheSameCommands(String name) throws Exception {
    Replays.replay(history(name), ExperimentWorkflowImpl.class);
  }

  @Test
  void history_withFailingRows_startsARunPerPreparedRowAndAnEvalJobPerCompletedRun() {
    // Five rows: one cannot be prepared, one run fails; three runs complete and are evaluated.
    assertThat(count("experiment-failing-rows", EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED))
        .isEqualTo(4 + 3);
    assertThat(events("experiment-failing-rows").getLast().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void history_ofAnExecutionOfTwoRows_continuesAsNewAfterThem() {
    assertThat(events("experiment-continued").getLast().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(events("experiment-continued").size()).isLessThan(100);
  }
}
