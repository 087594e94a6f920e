package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded histories (src/test/resources/histories, written by {@link HistoryRecorder}) against the
 * current workflow code: a change to the commands the workflow issues for the same history, such as an extra,
 * missing or reordered activity, fails here before it breaks runs in flight.
 */
class FlowRunReplayTest {
  private static String history(String name) {
    try (InputStream in = FlowRunReplayTest.class.getResourceAsStream("/histories/" + name + ".json")) {
      assertThat(in).as("histories/" + name + ".json").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<HistoryEvent> events(String name) {
    return WorkflowExecutionHistory.fromJson(history(name)).getEvents();
  }

  private static List<String> scheduledActivities(String name) {
    return events(name).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  /** The outcome is written by a local activity: a marker after the last model call, not a scheduled task. */
  private static boolean recordsOutcomeLocally(String name) {
    List<HistoryEvent> all = events(name);
    int lastActivity = -1;
    int marker = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) lastActivity = i;
      if (all.get(i).getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
          && all.get(i).getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) marker = i;
    }
    return marker > lastActivity;
  }

  @ParameterizedTest
  @ValueSource(strings = {"qa-raw", "qa-openai", "chained-json-template", "chained-openai", "failed-provider-auth",
      "qa-raw-streamed", "cancelled-mid-stream"})
  void replay_withRecordedHistory_issuesTheSameCommands(String name) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(name), FlowRunWorkflowImpl.class);
  }

  @Test
  void history_ofQaRaw_callsTheModelOnceThenRecordsTheOutcome() {
    assertThat(scheduledActivities("qa-raw")).containsExactly("LlmComplete");
    assertThat(recordsOutcomeLocally("qa-raw")).isTrue();
  }

  @Test
  void history_ofChainedFlow_callsTheModelTwiceThenRecordsTheOutcome() {
    assertThat(scheduledActivities("chained-json-template")).containsExactly("LlmComplete", "LlmComplete");
    assertThat(recordsOutcomeLocally("chained-json-template")).isTrue();
    assertThat(events("chained-json-template").getLast().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void history_ofFailedRun_recordsTheOutcomeThenFailsWithNodeFailed() {
    assertThat(scheduledActivities("failed-provider-auth")).containsExactly("LlmComplete", "LlmComplete");
    assertThat(recordsOutcomeLocally("failed-provider-auth")).isTrue();
    HistoryEvent last = events("failed-provider-auth").getLast();
    assertThat(last.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    assertThat(last.getWorkflowExecutionFailedEventAttributes().getFailure().getApplicationFailureInfo().getType())
        .isEqualTo(RunFailures.NODE_FAILED);
  }

  @Test
  void history_ofStreamedRun_carriesDeltasAsSignalsAndStillOneModelCall() {
    assertThat(scheduledActivities("qa-raw-streamed")).containsExactly("LlmComplete");
    assertThat(events("qa-raw-streamed")).filteredOn(
        e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).hasSize(3);
    assertThat(recordsOutcomeLocally("qa-raw-streamed")).isTrue();
  }

  @Test
  void history_ofCancelledRun_recordsTheOutcomeThenEndsCancelled() {
    assertThat(recordsOutcomeLocally("cancelled-mid-stream")).isTrue();
    assertThat(events("cancelled-mid-stream").getLast().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  }

  @Test
  void replay_withWorkflowThatCallsAnExtraActivity_failsAsNondeterministic() {
    assertThatThrownBy(() ->
        WorkflowReplayer.replayWorkflowExecution(history("chained-json-template"), ExtraModelCallFlowRun.class))
        .hasStackTraceContaining(NonDeterministicException.class.getName());
  }

  /** The run workflow with one more model call before the flow: what an unversioned change would look like. */
  public static class ExtraModelCallFlowRun implements FlowRunWorkflow {
    @Override
    public RunResult run(RunRequest request) {
      Workflow.newActivityStub(LlmActivities.class, ActivityPolicies.llm("extra"))
          .complete(new LlmCall(request.runId(), "extra", null, null, null, "warm up", null, null, false));
      return new FlowRunWorkflowImpl().run(request);
    }

    @Override
    public void deltas(io.durableflows.workflows.events.DeltaBatch batch) {}

    @Override
    public io.durableflows.workflows.events.EventPage events(long afterSeq) {
      return new io.durableflows.workflows.events.EventPage(java.util.List.of(), false);
    }

    @Override
    public io.durableflows.workflows.hitl.HumanResolution respond(io.durableflows.workflows.hitl.HumanAnswer answer) {
      return null;
    }

    @Override
    public void validateRespond(io.durableflows.workflows.hitl.HumanAnswer answer) {}

    @Override
    public void answer(io.durableflows.workflows.hitl.HumanAnswer answer) {}

    @Override
    public java.util.List<io.durableflows.workflows.hitl.HumanRequest> pending() {
      return java.util.List.of();
    }
  }
}
