package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/** The run's event log: node boundaries, streamed deltas from signals, and its terminal events. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunEventLogTest {
  private static final String RUN_ID = "r-log";
  private static final Map<String, Object> QUESTION = Map.of("question", "Why is the sky blue?");
  private static final LlmReply ANSWER =
      new LlmReply("Blue light scatters.", "openai", "gpt-4o-mini", "stop", new Usage(12, 5), 0.00001, 250);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());
  private final String workflowId = FlowRunWorkflow.workflowId("acme", "qa-raw", RUN_ID);

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(llm, store);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private FlowRunWorkflow start() {
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId).build());
    WorkflowClient.start(workflow::run,
        new RunRequest(RUN_ID, "acme", "qa-raw", "draft", TestFlows.example("qa-raw"), QUESTION, true));
    return workflow;
  }

  private void awaitEnd() {
    try {
      client.newUntypedWorkflowStub(workflowId).getResult(RunResult.class);
    } catch (WorkflowException expected) {
      // failed or cancelled runs end here; the log is what is under test
    }
  }

  /** Sends these batches to the run from inside the model call, as the streaming activity does. */
  private LlmReply signalling(DeltaBatch... batches) {
    WorkflowStub run = client.newUntypedWorkflowStub(Activity.getExecutionContext().getInfo().getWorkflowId());
    for (DeltaBatch b : batches) run.signal(FlowRunWorkflow.DELTAS_SIGNAL, b);
    return ANSWER;
  }

  private List<RunEvent> recordedEvents() {
    ArgumentCaptor<RunOutcome> outcome = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store).recordOutcome(outcome.capture());
    return outcome.getValue().events();
  }

  private static List<String> types(List<RunEvent> events) {
    return events.stream().map(RunEvent::type).toList();
  }

  @Test
  void completedRun_logsNodesUsageAndDoneWithGaplessSequenceNumbers() {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start();
    awaitEnd();

    List<RunEvent> events = workflow.events(0).events();
    assertThat(types(events)).containsExactly("run_started", "node_started", "node_finished", "node_started",
        "node_finished", "usage", "done");
    assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(events.getFirst().data()).containsEntry("answer_node", "answer");
    assertThat(events.getLast().data()).containsEntry("status", "completed").containsEntry("output", ANSWER.text());
    assertThat(workflow.events(0).finished()).isTrue();
  }

  @Test
  void completedRun_persistsTheSameLogWithItsOutcome() {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start();
    awaitEnd();

    assertThat(recordedEvents()).isEqualTo(workflow.events(0).events());
  }

  @Test
  void eventsQuery_returnsOnlyEventsAfterTheGivenSequence() {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start();
    awaitEnd();

    EventPage page = workflow.events(5);
    assertThat(page.events()).extracting(RunEvent::seq).containsExactly(6L, 7L);
    assertThat(workflow.events(7).events()).isEmpty();
  }

  @Test
  void deltaSignals_becomeMessageEventsOfTheRunningNodeInOrder() {
    when(llm.complete(any())).thenAnswer(inv -> signalling(
        new DeltaBatch("answer", 1, 1, "Blue "), new DeltaBatch("answer", 1, 2, "light scatters.")));
    FlowRunWorkflow workflow = start();
    awaitEnd();

    List<RunEvent> messages = workflow.events(0).events().stream()
        .filter(e -> e.type().equals(RunEvent.MESSAGE)).toList();
    assertThat(messages).extracting(RunEvent::text).containsExactly("Blue ", "light scatters.");
    assertThat(messages).extracting(RunEvent::node).containsOnly("answer");
  }

  @Test
  void deltaSignals_sentTwice_areLoggedOnce() {
    when(llm.complete(any())).thenAnswer(inv -> signalling(new DeltaBatch("answer", 1, 1, "Blue "),
        new DeltaBatch("answer", 1, 1, "Blue "), new DeltaBatch("answer", 1, 2, "light.")));
    FlowRunWorkflow workflow = start();
    awaitEnd();

    assertThat(workflow.events(0).events().stream().filter(e -> e.type().equals(RunEvent.MESSAGE)))
        .extracting(RunEvent::text).containsExactly("Blue ", "light.");
  }

  @Test
  void deltaSignals_ofANewerAttempt_areAnnouncedAsARetryAndOlderAttemptsDropped() {
    when(llm.complete(any())).thenAnswer(inv -> signalling(new DeltaBatch("answer", 1, 1, "Blu"),
        new DeltaBatch("answer", 2, 1, "Blue "), new DeltaBatch("answer", 1, 2, "stale"),
        new DeltaBatch("answer", 2, 2, "light.")));
    FlowRunWorkflow workflow = start();
    awaitEnd();

    List<RunEvent> events = workflow.events(0).events();
    assertThat(events.stream().filter(e -> e.type().equals(RunEvent.MESSAGE))).extracting(RunEvent::text)
        .containsExactly("Blu", "Blue ", "light.");
    assertThat(events).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(RunEvent.STATUS);
      assertThat(e.data()).containsEntry("state", "retrying").containsEntry("attempt", 2);
    });
  }

  @Test
  void deltaSignals_forANodeThatIsNotRunning_areIgnored() {
    when(llm.complete(any())).thenAnswer(inv -> signalling(new DeltaBatch("output", 1, 1, "nope"),
        new DeltaBatch("answer", 1, 1, "Blue.")));
    FlowRunWorkflow workflow = start();
    awaitEnd();

    assertThat(workflow.events(0).events().stream().filter(e -> e.type().equals(RunEvent.MESSAGE)))
        .extracting(RunEvent::text).containsExactly("Blue.");
  }

  @Test
  void failedRun_endsWithErrorUsageAndFailedDone() {
    when(llm.complete(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH));
    FlowRunWorkflow workflow = start();
    awaitEnd();

    List<RunEvent> events = workflow.events(0).events();
    assertThat(types(events)).endsWith("error", "usage", "done");
    assertThat(events.get(events.size() - 3).data()).containsEntry("error", LlmFailures.PROVIDER_AUTH);
    assertThat(events.getLast().data()).containsEntry("status", "failed");
    assertThat(recordedEvents()).isEqualTo(events);
  }

  @Test
  void cancelledRun_recordsACancelledOutcomeAndEndsItsLog() throws InterruptedException {
    CountDownLatch inCall = new CountDownLatch(1);
    when(llm.complete(any())).thenAnswer(inv -> {
      inCall.countDown();
      var context = Activity.getExecutionContext();
      while (true) {
        context.heartbeat(null);
        Thread.sleep(20);
      }
    });
    FlowRunWorkflow workflow = start();
    assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
    client.newUntypedWorkflowStub(workflowId).cancel();
    awaitEnd();

    ArgumentCaptor<RunOutcome> outcome = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store).recordOutcome(outcome.capture());
    assertThat(outcome.getValue().status()).isEqualTo(RunOutcome.CANCELLED);
    List<RunEvent> events = workflow.events(0).events();
    assertThat(types(events)).endsWith("error", "usage", "done");
    assertThat(events.getLast().data()).containsEntry("status", "cancelled");
  }
}
