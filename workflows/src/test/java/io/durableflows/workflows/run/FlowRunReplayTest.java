package io.durableflows.workflows.run;

import io.durableflows.workflows.Replays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded histories (src/test/resources/histories, written by {@link HistoryRecorder}) against the
 * current workflow code: a change to the commands the workflow issues for the same history, such as an extra,
 * missing or reordered activity, fails here before it breaks runs in flight.
 */
class FlowRunReplayTest {
  /** Surefire runs in the module directory. */
  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

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

  private static List<HistoryEvent> ofType(String name, EventType type) {
    return events(name).stream().filter(e -> e.getEventType() == type).toList();
  }

  private static long localActivities(String name) {
    return ofType(name, EventType.EVENT_TYPE_MARKER_RECORDED).stream()
        .filter(e -> e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")).count();
  }

  /** The JSON input of the {@code i}th scheduled activity. */
  private static String activityInput(String name, int i) {
    return ofType(name, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).get(i).getActivityTaskScheduledEventAttributes()
        .getInput().getPayloads(0).getData().toStringUtf8();
  }

  /** Every history under src/test/resources/histories, by name. */
  static Stream<String> recordedHistories() throws IOException {
    try (Stream<Path> files = Files.list(HISTORIES)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json"))
          .map(f -> f.substring(0, f.length() - ".json".length())).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qa-raw", "qa-openai", "chained-json-template", "chained-openai", "failed-provider-auth",
      "qa-raw-streamed", "cancelled-mid-stream", "approval-approved", "approval-denied-branch", "approval-expired",
      "approval-by-signal", "question-answered", "tool-approved-modified-arguments", "tool-without-approval",
      "approval-cancelled-run", "agent-parallel-tools", "agent-malformed-arguments", "agent-tool-approved",
      "switch-case", "switch-default", "parallel-join", "map-prompt", "map-flow", "subflow", "agent-context-skills",
      "memory-compacted"})
  void replay_withRecordedHistory_issuesTheSameCommands(String name) throws Exception {
    Replays.replay(history(name), FlowRunWorkflowImpl.class);
  }

  @Test
  void replayList_coversEveryRecordedHistory() throws Exception {
    String[] listed = FlowRunReplayTest.class
        .getDeclaredMethod("replay_withRecordedHistory_issuesTheSameCommands", String.class)
        .getAnnotation(ValueSource.class).strings();

    assertThat(listed).containsExactlyInAnyOrderElementsOf(recordedHistories().toList());
  }

  @Test
  void history_ofAgentWithSkills_buildsTheContextBeforeItsFirstTurn() {
    assertThat(scheduledActivities("agent-context-skills").get(0)).isEqualTo("BuildContext");
    assertThat(scheduledActivities("agent-context-skills").get(1)).isEqualTo("LlmChat");
    assertThat(scheduledActivities("agent-parallel-tools")).doesNotContain("BuildContext");
  }

  @Test
  void history_ofCompactingMemoryNode_loadsLocallyThenSummarisesThenCallsTheModelWithHistory() {
    assertThat(scheduledActivities("memory-compacted")).containsExactly("SummarizeHistory", "LlmComplete");
    // history loaded and outcome recorded by local activities
    assertThat(localActivities("memory-compacted")).isEqualTo(2);
    assertThat(activityInput("memory-compacted", 1)).contains("\"history\":[{\"role\":\"system\"")
        .contains("summary of 2 messages").contains("what is 2+2?");
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
  void history_ofApprovedApproval_takesOneUpdateThenCallsTheModel() {
    assertThat(ofType("approval-approved", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).hasSize(1);
    assertThat(ofType("approval-approved", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).hasSize(1);
    assertThat(scheduledActivities("approval-approved")).containsExactly("LlmComplete");
    // request, resolution and outcome are written by local activities
    assertThat(localActivities("approval-approved")).isEqualTo(3);
    assertThat(events("approval-approved").getLast().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void history_ofDeniedApprovalWithDeniedBranch_callsNoModel() {
    assertThat(scheduledActivities("approval-denied-branch")).isEmpty();
    assertThat(ofType("approval-denied-branch", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).hasSize(1);
    assertThat(recordsOutcomeLocally("approval-denied-branch")).isTrue();
  }

  @Test
  void history_ofExpiredApproval_firesItsTimerAndTakesNoAnswer() {
    assertThat(ofType("approval-expired", EventType.EVENT_TYPE_TIMER_STARTED)).hasSize(1);
    assertThat(ofType("approval-expired", EventType.EVENT_TYPE_TIMER_FIRED)).hasSize(1);
    assertThat(ofType("approval-expired", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEmpty();
    assertThat(ofType("approval-expired", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).isEmpty();
    assertThat(scheduledActivities("approval-expired")).as("denied by default: no model call").isEmpty();
  }

  @Test
  void history_ofApprovalBySignal_carriesTheAnswerAsOneSignalAndNoUpdate() {
    assertThat(ofType("approval-by-signal", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED))
        .singleElement().satisfies(e -> assertThat(e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
            .isEqualTo(FlowRunWorkflow.ANSWER_SIGNAL));
    assertThat(ofType("approval-by-signal", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEmpty();
    assertThat(scheduledActivities("approval-by-signal")).containsExactly("LlmComplete");
  }

  @Test
  void history_ofAnsweredQuestion_callsTheModelWithTheAnswer() {
    assertThat(ofType("question-answered", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).hasSize(1);
    assertThat(scheduledActivities("question-answered")).containsExactly("LlmComplete");
    assertThat(activityInput("question-answered", 0)).contains("Explain durable execution in step by step.");
  }

  @Test
  void history_ofToolApprovedWithModifiedArguments_callsTheToolOnceWithThem() {
    assertThat(ofType("tool-approved-modified-arguments", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED))
        .hasSize(1);
    assertThat(ofType("tool-approved-modified-arguments", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED))
        .hasSize(1);
    assertThat(scheduledActivities("tool-approved-modified-arguments")).containsExactly("ToolCall");
    assertThat(activityInput("tool-approved-modified-arguments", 0)).contains("7*6").doesNotContain("6*7");
  }

  @Test
  void history_ofToolWithoutApproval_callsTheToolWithoutAskingAnyone() {
    assertThat(scheduledActivities("tool-without-approval")).containsExactly("ToolCall");
    assertThat(localActivities("tool-without-approval")).as("only the outcome").isEqualTo(1);
    assertThat(ofType("tool-without-approval", EventType.EVENT_TYPE_TIMER_STARTED)).isEmpty();
  }

  @Test
  void history_ofRunCancelledWhileWaiting_cancelsTheTimerRecordsTheOutcomeThenEndsCancelled() {
    List<HistoryEvent> all = events("approval-cancelled-run");
    assertThat(all).extracting(HistoryEvent::getEventType).containsSubsequence(
        EventType.EVENT_TYPE_TIMER_STARTED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
        EventType.EVENT_TYPE_TIMER_CANCELED,
        EventType.EVENT_TYPE_MARKER_RECORDED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    assertThat(recordsOutcomeLocally("approval-cancelled-run")).isTrue();
    assertThat(scheduledActivities("approval-cancelled-run")).isEmpty();
  }

  @Test
  void history_ofSwitch_callsTheModelOnlyOnTheBranchTaken() {
    assertThat(scheduledActivities("switch-case")).containsExactly("LlmComplete");
    assertThat(scheduledActivities("switch-default")).isEmpty();
    assertThat(recordsOutcomeLocally("switch-default")).isTrue();
  }

  @Test
  void history_ofParallel_schedulesBothBranchesBeforeEitherCompletes() {
    List<EventType> types = events("parallel-join").stream().map(HistoryEvent::getEventType)
        .filter(t -> t == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || t == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        .toList();
    assertThat(types).startsWith(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  }

  @Test
  void history_ofMap_callsTheModelOncePerItemAndStartsAChildPerItem() {
    assertThat(scheduledActivities("map-prompt")).containsExactly("LlmComplete", "LlmComplete", "LlmComplete");
    assertThat(ofType("map-flow", EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).hasSize(2);
  }

  @Test
  void history_ofSubflow_preparesThenStartsOneChildThatCancelsWithItsParent() {
    assertThat(ofType("subflow", EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).singleElement()
        .satisfies(e -> {
          var attributes = e.getStartChildWorkflowExecutionInitiatedEventAttributes();
          assertThat(attributes.getWorkflowId()).isEqualTo(
              FlowRunWorkflow.workflowId("acme", "echo", ChildRuns.childRunId("r-subflow", "sub", 1)));
          assertThat(attributes.getParentClosePolicy())
              .isEqualTo(io.temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL);
        });
    assertThat(localActivities("subflow")).as("prepare the child, record the outcome").isEqualTo(2);
  }

  @Test
  void replay_withWorkflowThatCallsAnExtraActivity_failsAsNondeterministic() {
    assertThatThrownBy(() ->
        Replays.replay(history("chained-json-template"), ExtraModelCallFlowRun.class))
        .hasStackTraceContaining(NonDeterministicException.class.getName());
  }

  // ------------------------------------------------------------------------------------------ versioned change

  @ParameterizedTest
  @MethodSource("recordedHistories")
  void replay_withHistoryRecordedBeforeAVersionedChange_takesTheOldPath(String name) throws Exception {
    Replays.replay(history(name), VersionedExtraModelCallFlowRun.class);
  }

  @Test
  void history_recordedWithTheVersionedChange_hasItsMarkerAndTheExtraCall() throws Exception {
    List<HistoryEvent> all = historyWithTheVersionedChange().getEvents();

    assertThat(all).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .extracting(e -> e.getMarkerRecordedEventAttributes().getMarkerName()).contains("Version");
    assertThat(all).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .hasSize(2);
  }

  @Test
  void replay_withHistoryRecordedWithTheVersionedChange_replaysAgainstIt() throws Exception {
    Replays.replay(historyWithTheVersionedChange(), VersionedExtraModelCallFlowRun.class);
  }

  @Test
  void replay_withHistoryRecordedWithTheVersionedChange_failsAgainstTheCodeBeforeIt() throws Exception {
    WorkflowExecutionHistory recorded = historyWithTheVersionedChange();

    assertThatThrownBy(() -> Replays.replay(recorded, FlowRunWorkflowImpl.class))
        .as("rolling back, or dropping the old branch while new runs are in flight, breaks them")
        .hasStackTraceContaining(NonDeterministicException.class.getName());
  }

  private static WorkflowExecutionHistory versionedHistory;

  /** A qa-raw run recorded live on the test server with {@link VersionedExtraModelCallFlowRun}, once per class. */
  private static synchronized WorkflowExecutionHistory historyWithTheVersionedChange() throws Exception {
    if (versionedHistory != null) return versionedHistory;
    LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
    RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());
    when(llm.complete(any())).thenReturn(
        new LlmReply("Blue light scatters more.", "openai", "gpt-4o-mini", "stop", new Usage(12, 5), 0.00001, 250));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(VersionedExtraModelCallFlowRun.class);
      worker.registerActivitiesImplementations(llm, store);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      FlowDefinition flow = TestFlows.example("qa-raw");
      String workflowId = FlowRunWorkflow.workflowId("acme", flow.slug(), "r-versioned");
      FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId).build());
      workflow.run(new RunRequest("r-versioned", "acme", flow.slug(), "draft", flow,
          Map.of("question", "Why is the sky blue?", "tone", "friendly")));
      versionedHistory = client.fetchHistory(workflowId);
    }
    return versionedHistory;
  }

  /**
   * README, "Changing the interpreter while runs are in flight": the same extra call, behind Workflow.getVersion.
   * Runs started before the change replay along the old path; new runs take the new one and record a marker.
   */
  public static class VersionedExtraModelCallFlowRun extends FlowRunWorkflowImpl {
    @Override
    public RunResult run(RunRequest request) {
      int version = Workflow.getVersion("warm-up-call", Workflow.DEFAULT_VERSION, 1);
      if (version >= 1) {
        Workflow.newActivityStub(LlmActivities.class, ActivityPolicies.llm("warm up"))
            .complete(new LlmCall(request.runId(), "warm-up", null, null, null, "warm up", null, null, false));
      }
      return super.run(request);
    }
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
