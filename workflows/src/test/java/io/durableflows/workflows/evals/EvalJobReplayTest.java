package io.durableflows.workflows.evals;

import io.durableflows.workflows.Replays;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Replays a recorded eval job (written by {@link EvalJobHistoryRecorder}) against the current job workflow code. */
class EvalJobReplayTest {
  private static String history() throws IOException {
    try (InputStream in = EvalJobReplayTest.class.getResourceAsStream("/histories/evals/eval-job.json")) {
      assertThat(in).as("histories/evals/eval-job.json").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void replay_withRecordedEvalJob_issuesTheSameCommands() throws Exception {
    Replays.replay(history(), EvalJobWorkflowImpl.class);
  }

  @Test
  void recordedEvalJob_ranItsEvaluationsAsActivities_andItsFlowEvaluatorAsAChild() throws Exception {
    var events = WorkflowExecutionHistory.fromJson(history()).getEvents();

    assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
        .containsExactly("Evaluate", "Evaluate");
    assertThat(events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
        .map(e -> e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowType().getName()))
        .containsExactly("FlowRun");
  }
}
