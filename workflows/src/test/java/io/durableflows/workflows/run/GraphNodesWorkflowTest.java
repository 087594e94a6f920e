package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.ChildRunSpec;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/** Switch, parallel, map and subflow nodes on the test server, with stub model and store activities. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GraphNodesWorkflowTest {
  private static final String RUN_ID = "r-graph";

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());
  private final Map<String, FlowDefinition> children =
      Map.of("echo", GraphFlows.echo(), "needs-approval", GraphFlows.needsApproval());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(llm, store);
    env.start();
    client = env.getWorkflowClient();
    when(store.prepareChildRun(any())).thenAnswer(inv -> {
      ChildRunSpec spec = inv.getArgument(0);
      if (!children.containsKey(spec.flow())) {
        throw ApplicationFailure.newNonRetryableFailure("no flow '" + spec.flow() + "'", ChildRunFailure.NOT_FOUND);
      }
      return GraphFlows.childRequest(spec, children);
    });
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private String workflowId(FlowDefinition flow) {
    return FlowRunWorkflow.workflowId("acme", flow.slug(), RUN_ID);
  }

  private RunResult run(FlowDefinition flow, Map<String, Object> input) {
    return stub(flow).run(new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow, input));
  }

  private FlowRunWorkflow stub(FlowDefinition flow) {
    return client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId(flow)).build());
  }

  private static LlmReply reply(String text) {
    return new LlmReply(text, "openai", "gpt-4o-mini", "stop", new Usage(3, 2), 0.0001, 10);
  }

  /** The outcome the run with this id recorded (children record theirs through the same store). */
  private RunOutcome outcomeOf(String runId) {
    ArgumentCaptor<RunOutcome> outcomes = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store, atLeastOnce()).recordOutcome(outcomes.capture());
    return outcomes.getAllValues().stream().filter(o -> o.runId().equals(runId)).findFirst().orElseThrow();
  }

  private static List<RunEvent> eventsOf(RunOutcome outcome, String type) {
    return outcome.events().stream().filter(e -> e.type().equals(type)).toList();
  }

  private static ApplicationFailure nodeFailure(WorkflowFailedException e) {
    assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    return failure;
  }

  // ------------------------------------------------------------------------------------------ switch

  @Test
  void switch_whenACaseMatches_takesItsBranchAndSkipsTheOthers() {
    when(llm.complete(any())).thenReturn(reply("Please review this large order."));

    RunResult result = run(GraphFlows.router(), Map.of("amount", 1500, "request", "40 chairs"));

    assertThat(result.text()).isEqualTo("Please review this large order.");
    RunOutcome outcome = outcomeOf(RUN_ID);
    assertThat(eventsOf(outcome, RunEvent.NODE_FINISHED)).filteredOn(e -> "route".equals(e.node()))
        .singleElement().satisfies(e -> assertThat(e.data()).containsEntry("case", "big"));
    assertThat(eventsOf(outcome, RunEvent.NODE_SKIPPED)).extracting(RunEvent::node).containsExactly("auto");
  }

  @Test
  void switch_whenNoCaseMatches_takesTheDefaultBranch() {
    RunResult result = run(GraphFlows.router(), Map.of("amount", 20, "request", "a pen"));

    assertThat(result.output()).isEqualTo("Order of 20 confirmed automatically.");
    verify(llm, never()).complete(any());
    assertThat(eventsOf(outcomeOf(RUN_ID), RunEvent.NODE_SKIPPED)).extracting(RunEvent::node)
        .containsExactly("review");
  }

  @Test
  void switch_whenAConditionFailsAtRunTime_failsTheNodeWithConditionFailed() {
    FlowDefinition flow = TestFlows.withData(GraphFlows.router(), "route", "cases",
        List.of(Map.of("id", "big", "when", "input.missing > 1000")));

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(flow, Map.of("amount", 1500)));

    ApplicationFailure failure = nodeFailure(failed);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(FlowInterpreter.CONDITION_FAILED);
    assertThat(failure.getOriginalMessage()).contains("node 'route'", "case 'big'", "missing");
  }

  // ------------------------------------------------------------------------------------------ parallel

  @Test
  void parallel_runsTheBranchesConcurrentlyAndJoinsThem() {
    Map<String, long[]> spans = new ConcurrentHashMap<>();
    when(llm.complete(any())).thenAnswer(inv -> {
      LlmCall call = inv.getArgument(0);
      long start = System.nanoTime();
      Thread.sleep(600);
      spans.put(call.nodeId(), new long[] {start, System.nanoTime()});
      return reply(call.nodeId() + " says hi");
    });

    RunResult result = run(GraphFlows.fanOut(), Map.of("topic", "tea"));

    assertThat(result.output()).isEqualTo("left says hi | right says hi");
    long[] left = spans.get("left");
    long[] right = spans.get("right");
    assertThat(left[0]).as("left starts before right ends").isLessThan(right[1]);
    assertThat(right[0]).as("right starts before left ends").isLessThan(left[1]);
    assertThat(outcomeOf(RUN_ID).usage()).isEqualTo(new Usage(6, 4));
  }

  @Test
  void parallel_whenABranchFails_failsTheRunAtThatNode() {
    when(llm.complete(any())).thenAnswer(inv -> {
      LlmCall call = inv.getArgument(0);
      if (call.nodeId().equals("right")) {
        throw ApplicationFailure.newNonRetryableFailure("401 invalid api key", "ProviderAuth");
      }
      Thread.sleep(200);
      return reply("fine");
    });

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(GraphFlows.fanOut(), Map.of("topic", "tea")));

    assertThat(nodeFailure(failed).getOriginalMessage()).startsWith("node 'right' failed");
  }

  @Test
  void parallel_withASwitchOnABranch_skipsTheBranchNotTakenAndJoinsTheRest() {
    FlowDefinition flow = TestFlows.parse("""
        {"slug": "mixed", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "n", "type": "integer"}]}},
          {"id": "fan", "type": "parallel", "data": {}},
          {"id": "pick", "type": "switch", "data": {"cases": [{"id": "odd", "when": "input.n % 2 == 1"}]}},
          {"id": "odd", "type": "template", "data": {"template": "odd"}},
          {"id": "even", "type": "template", "data": {"template": "even"}},
          {"id": "other", "type": "template", "data": {"template": "other"}},
          {"id": "join", "type": "template", "data": {"json": {"odd": "{{odd}}", "even": "{{even}}",
            "other": "{{other}}"}}},
          {"id": "check", "type": "switch", "data": {"cases": [
            {"id": "sawEven", "when": "even != null && even.text == 'even'"}]}},
          {"id": "yes", "type": "template", "data": {"template": "{{join.json.other}} and even"}},
          {"id": "no", "type": "template", "data": {"template": "{{join.json.other}} and not even"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [
          {"source": "input", "target": "fan"},
          {"source": "fan", "target": "pick"}, {"source": "fan", "target": "other"},
          {"source": "pick", "target": "odd", "sourceHandle": "odd"},
          {"source": "pick", "target": "even", "sourceHandle": "default"},
          {"source": "odd", "target": "join"}, {"source": "even", "target": "join"}, {"source": "other", "target": "join"},
          {"source": "join", "target": "check"},
          {"source": "check", "target": "yes", "sourceHandle": "sawEven"},
          {"source": "check", "target": "no", "sourceHandle": "default"},
          {"source": "yes", "target": "output"}, {"source": "no", "target": "output"}
        ]}""");
    assertThat(io.durableflows.workflows.flow.FlowValidator.validate(flow)).isEmpty();

    assertThat(run(flow, Map.of("n", 3)).output()).isEqualTo("other and not even");
    assertThat(eventsOf(outcomeOf(RUN_ID), RunEvent.NODE_SKIPPED)).extracting(RunEvent::node)
        .containsExactlyInAnyOrder("even", "yes");
  }

  // ------------------------------------------------------------------------------------------ map

  @Test
  void map_withPrompt_keepsInputOrderAndHonoursTheConcurrencyLimit() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    when(llm.complete(any())).thenAnswer(inv -> {
      LlmCall call = inv.getArgument(0);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      // Later items finish sooner: the output order must still be the input order.
      Thread.sleep(call.prompt().contains("a") ? 400 : 150);
      inFlight.decrementAndGet();
      return reply("done " + call.prompt());
    });

    RunResult result = run(GraphFlows.mapPrompt(2), Map.of("list", List.of("a", "b", "c", "d", "e")));

    assertThat(((Map<?, ?>) result.output()).get("items")).isEqualTo(List.of("done Item 0: a", "done Item 1: b",
        "done Item 2: c", "done Item 3: d", "done Item 4: e"));
    assertThat(maxInFlight.get()).isEqualTo(2);
    assertThat(outcomeOf(RUN_ID).llmCalls()).hasSize(5)
        .extracting(r -> r.idempotencyKey()).doesNotHaveDuplicates();
  }

  @Test
  void map_withFailFast_stopsStartingItemsAfterTheFirstFailure() {
    AtomicInteger calls = new AtomicInteger();
    when(llm.complete(any())).thenAnswer(inv -> {
      LlmCall call = inv.getArgument(0);
      calls.incrementAndGet();
      if (call.prompt().endsWith("b")) {
        throw ApplicationFailure.newNonRetryableFailure("400 bad prompt", "ProviderBadRequest");
      }
      Thread.sleep(1500);
      return reply("ok");
    });

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(GraphFlows.mapPrompt(3), Map.of("list", List.of("a", "b", "c", "d", "e"))));

    ApplicationFailure failure = nodeFailure(failed);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(FlowInterpreter.MAP_ITEM_FAILED);
    assertThat(failure.getOriginalMessage()).contains("item 1", "400 bad prompt");
    assertThat(calls.get()).as("d and e never start").isEqualTo(3);
  }

  @Test
  void map_withFlow_runsAChildRunPerItemInOrder() {
    RunResult result = run(GraphFlows.mapFlow(true), Map.of("list", List.of("x", "y", "z")));

    assertThat(((Map<?, ?>) result.output()).get("items")).isEqualTo(List.of("echo: x", "echo: y", "echo: z"));
    ArgumentCaptor<ChildRunSpec> specs = ArgumentCaptor.forClass(ChildRunSpec.class);
    verify(store, atLeastOnce()).prepareChildRun(specs.capture());
    assertThat(specs.getAllValues()).extracting(ChildRunSpec::childRunId).containsExactlyInAnyOrder(
        ChildRuns.childRunId(RUN_ID, "each", 1), ChildRuns.childRunId(RUN_ID, "each", 2),
        ChildRuns.childRunId(RUN_ID, "each", 3));
  }

  @Test
  void map_withoutFailFast_collectsItemErrorsInPlace() {
    FlowDefinition flow = TestFlows.withData(GraphFlows.mapFlow(false), "each", "flow", "nope");

    RunResult result = run(flow, Map.of("list", List.of("x", "y")));

    @SuppressWarnings("unchecked")
    var items = (List<Map<String, Object>>) ((Map<?, ?>) result.output()).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0)).containsEntry("index", 0).containsEntry("error", ChildRunFailure.NOT_FOUND);
    assertThat(items.get(1)).containsEntry("index", 1).containsEntry("error", ChildRunFailure.NOT_FOUND);
  }

  @Test
  void map_withFailFast_failsTheNodeOnTheFirstFailedItem() {
    FlowDefinition flow = TestFlows.withData(GraphFlows.mapFlow(true), "each", "flow", "nope");

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(flow, Map.of("list", List.of("x", "y"))));

    ApplicationFailure failure = nodeFailure(failed);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(FlowInterpreter.MAP_ITEM_FAILED);
    assertThat(failure.getOriginalMessage()).contains("node 'each'", ChildRunFailure.NOT_FOUND);
  }

  // ------------------------------------------------------------------------------------------ subflow

  @Test
  void subflow_runsTheFlowAsAChildWorkflowWithItsOwnId() {
    RunResult result = run(GraphFlows.subflow("echo"), Map.of("text", "hello"));

    assertThat(result.output()).isEqualTo("echo: hello");
    String childRunId = ChildRuns.childRunId(RUN_ID, "sub", 1);
    String childWorkflowId = FlowRunWorkflow.workflowId("acme", "echo", childRunId);
    var childHistory = client.fetchHistory(childWorkflowId);
    assertThat(childHistory.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(childHistory.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getParentWorkflowExecution()
        .getWorkflowId()).isEqualTo(workflowId(GraphFlows.subflow("echo")));
    RunOutcome parent = outcomeOf(RUN_ID);
    assertThat(eventsOf(parent, ChildRuns.SUBFLOW_STARTED)).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("child_run_id", childRunId).containsEntry("flow", "echo"));
    assertThat(eventsOf(parent, ChildRuns.SUBFLOW_FINISHED)).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("status", "completed"));
    assertThat(outcomeOf(childRunId).status()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void subflow_whenTheFlowIsUnknown_failsTheNodeWithSubflowNotFound() {
    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(GraphFlows.subflow("nope"), Map.of("text", "hello")));

    ApplicationFailure failure = nodeFailure(failed);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(ChildRunFailure.NOT_FOUND);
    assertThat(failure.getOriginalMessage()).contains("node 'sub'", "nope");
  }

  @Test
  void subflow_whenTheParentIsCancelled_cancelsTheChildWhichRecordsItsCancellation() throws Exception {
    FlowDefinition flow = GraphFlows.subflow("needs-approval");
    WorkflowClient.start(stub(flow)::run, new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow,
        Map.of("text", "hello")));
    String childRunId = ChildRuns.childRunId(RUN_ID, "sub", 1);
    String childWorkflowId = FlowRunWorkflow.workflowId("acme", "needs-approval", childRunId);
    FlowRunWorkflow child = client.newWorkflowStub(FlowRunWorkflow.class, childWorkflowId);
    for (int i = 0; i < 500 && pendingOf(child).isEmpty(); i++) Thread.sleep(20);
    assertThat(pendingOf(child)).as("the child waits for its approval").hasSize(1);

    WorkflowStub parent = client.newUntypedWorkflowStub(workflowId(flow));
    parent.cancel();

    var failed = catchThrowableOfType(WorkflowFailedException.class, () -> parent.getResult(RunResult.class));
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(client.fetchHistory(childWorkflowId).getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    assertThat(outcomeOf(childRunId).status()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(outcomeOf(RUN_ID).status()).isEqualTo(RunOutcome.CANCELLED);
    // The child's outcome is recorded before the parent's: the parent waited for the child's cancellation.
    ArgumentCaptor<RunOutcome> outcomes = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store, atLeastOnce()).recordOutcome(outcomes.capture());
    List<String> order = new ArrayList<>(outcomes.getAllValues().stream().map(RunOutcome::runId).toList());
    assertThat(order).containsSubsequence(childRunId, RUN_ID);
  }

  private static List<?> pendingOf(FlowRunWorkflow child) {
    try {
      return child.pending();
    } catch (RuntimeException notYetStarted) {
      return Collections.emptyList();
    }
  }
}
