package io.durableflows.workflows.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExperimentWorkflowTest {
  private final ExperimentScenario scenario = new ExperimentScenario();

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void experiment_withFailingRows_recordsThemFailedAndCompletesTheOthers() {
    scenario.start(ExperimentScenario.request(2, ExperimentRequest.ROWS_PER_EXECUTION));
    scenario.awaitEnd();

    var rows = scenario.store.rows;
    assertThat(rows).hasSize(5);
    assertThat(rows.get(1).status()).isEqualTo(RowOutcome.FAILED);
    assertThat(rows.get(1).errorType()).isEqualTo(ExperimentFailures.INVALID_ROW_INPUT);
    assertThat(rows.get(1).runId()).isNull();
    assertThat(rows.get(2).status()).isEqualTo(RowOutcome.FAILED);
    assertThat(rows.get(2).errorType()).isEqualTo(ExperimentFailures.RUN_FAILED);
    assertThat(rows.get(2).error()).contains("401 invalid api key");
    assertThat(rows.get(2).runId()).isEqualTo("run_row2");
    assertThat(List.of(0, 3, 4)).allSatisfy(i -> assertThat(rows.get(i).status()).isEqualTo(RowOutcome.COMPLETED));
    assertThat(scenario.store.statuses).containsExactly("completed");
  }

  @Test
  void experiment_evaluatesEachCompletedRowAgainstItsExpectedAnswer() {
    scenario.start(ExperimentScenario.request(2, ExperimentRequest.ROWS_PER_EXECUTION));
    scenario.awaitEnd();

    var rows = scenario.store.rows;
    assertThat(rows.get(0).evaluations()).singleElement().satisfies(e -> {
      assertThat(e.evaluatorId()).isEqualTo("evl_contains");
      assertThat(e.passed()).isTrue();
    });
    assertThat(rows.get(3).evaluations().getFirst().passed()).isTrue();
    assertThat(rows.get(4).evaluations().getFirst().passed()).as("Madrid is not in the echo").isFalse();
    assertThat(rows.get(2).evaluations()).as("a failed run is not evaluated").isEmpty();
  }

  @Test
  void experiment_neverRunsMoreRowsAtOnceThanItsConcurrency() {
    scenario.start(ExperimentScenario.request(2, ExperimentRequest.ROWS_PER_EXECUTION));
    scenario.awaitEnd();

    assertThat(scenario.model.mostInFlight.get()).isBetween(1, 2);
  }

  @Test
  void cancel_stopsTheRunInFlight_keepsFinishedRows_andMarksTheExperimentCancelled() throws Exception {
    scenario.store.questions = List.of("capital of France is Paris", "hang", "2+2=4");
    scenario.start(ExperimentScenario.request(1, ExperimentRequest.ROWS_PER_EXECUTION));
    awaitTrue(() -> scenario.model.hanging);

    scenario.env.getWorkflowClient().newUntypedWorkflowStub(scenario.workflowId()).cancel();

    assertThatThrownBy(scenario::awaitEnd).isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(scenario.store.statuses).containsExactly("cancelled");
    assertThat(scenario.store.rows.keySet()).containsExactly(0);
    assertThat(scenario.runs.outcomes).containsEntry("run_row1", "cancelled").doesNotContainKey("run_row2");
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) Thread.sleep(50);
    assertThat(condition.getAsBoolean()).as("reached within 30 s").isTrue();
  }

  @Test
  void experiment_ofManyRows_keepsEveryExecutionsHistoryFarBelowTheLimit() {
    scenario.store.questions = java.util.stream.IntStream.range(0, 250).mapToObj(i -> "question " + i).toList();
    String run = scenario.start(new ExperimentRequest(ExperimentScenario.EXPERIMENT, "acme", "qa-raw", "1.0.0", 250, 8,
        List.of(ExperimentScenario.CONTAINS), ExperimentRequest.ROWS_PER_EXECUTION, 0));
    scenario.awaitEnd();

    List<Integer> lengths = new java.util.ArrayList<>();
    while (run != null) {
      List<HistoryEvent> events = scenario.env.getWorkflowClient().fetchHistory(scenario.workflowId(), run).getEvents();
      lengths.add(events.size());
      HistoryEvent last = events.getLast();
      run = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
          ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
    }
    assertThat(lengths).as("100 + 100 + 50 rows").hasSize(3);
    assertThat(lengths).allSatisfy(n -> assertThat(n).isLessThan(2_500));
    assertThat(scenario.store.recorded).hasSize(250).doesNotHaveDuplicates();
  }

  @Test
  void experiment_largerThanOneExecution_continuesAsNewAndRecordsEveryRowOnce() {
    String firstRun = scenario.start(ExperimentScenario.request(3, 2));
    scenario.awaitEnd();

    assertThat(scenario.store.recorded).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    assertThat(scenario.store.statuses).containsExactly("completed");
    List<HistoryEvent> first = scenario.env.getWorkflowClient()
        .fetchHistory(scenario.workflowId(), firstRun).getEvents();
    assertThat(first.getLast().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(first).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
        .as("the first execution's rows: the first's run and eval job; the second could not be prepared")
        .hasSize(2);
  }
}
