package io.durableflows.workflows.run;

import static io.durableflows.workflows.run.AgentScripts.answer;
import static io.durableflows.workflows.run.AgentScripts.call;
import static io.durableflows.workflows.run.AgentScripts.calls;
import static io.durableflows.workflows.run.AgentScripts.toolMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowValidator;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.store.RunStoreActivities;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/** The agent node's tool loop against the Temporal test server, with scripted model turns and tools. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentWorkflowTest {
  private static final String RUN_ID = "r-agent";
  private static final ToolResult FORTY_TWO = new ToolResult(42, "42", 3, "7", 1, false);
  private static final Map<String, Object> ASK = Map.of("message", "What is 6*7?");

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(UpdateFailureConverter.dataConverter()).build())
        .build());
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(llm, tools, store);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static FlowDefinition agent(String key, Object value) {
    return TestFlows.withData(TestFlows.example("agent-tools"), "agent", key, value);
  }

  private FlowRunWorkflow start(FlowDefinition flow) {
    assertThat(FlowValidator.validate(flow)).as("the test's flow is valid").isEmpty();
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowId(FlowRunWorkflow.workflowId("acme", flow.slug(), RUN_ID))
        .build());
    WorkflowClient.start(workflow::run, new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow, ASK));
    return workflow;
  }

  private static RunResult result(FlowRunWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(RunResult.class);
  }

  private List<LlmChatCall> chatCalls(int count) {
    ArgumentCaptor<LlmChatCall> captor = ArgumentCaptor.forClass(LlmChatCall.class);
    verify(llm, times(count)).chat(captor.capture());
    return captor.getAllValues();
  }

  private List<ToolCall> toolCalls(int count) {
    ArgumentCaptor<ToolCall> captor = ArgumentCaptor.forClass(ToolCall.class);
    verify(tools, times(count)).call(captor.capture());
    return captor.getAllValues();
  }

  private static List<RunEvent> events(FlowRunWorkflow workflow, String type) {
    return workflow.events(0).events().stream().filter(e -> e.type().equals(type)).toList();
  }

  private static HumanRequest awaitPending(FlowRunWorkflow workflow) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<HumanRequest> pending = workflow.pending();
      if (!pending.isEmpty()) return pending.get(0);
      Thread.sleep(10);
    }
    throw new AssertionError("the run never asked");
  }

  @Test
  void agent_callsTheToolItAsksFor_andAnswersWithItsResult() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")),
        answer("6*7 is 42."));
    when(tools.call(any())).thenReturn(FORTY_TWO);

    RunResult result = result(start(TestFlows.example("agent-tools")));

    assertThat(result.text()).isEqualTo("6*7 is 42.");
    ToolCall ran = toolCalls(1).get(0);
    assertThat(ran.tool()).isEqualTo("calculator");
    assertThat(ran.arguments()).containsEntry("expression", "6*7");
    assertThat(ran.idempotencyKey()).isEqualTo(RUN_ID + "/agent/turn-1/call-1");
    List<LlmChatCall> turns = chatCalls(2);
    assertThat(turns.get(0).tools()).extracting("name").containsExactly("calculator", "current_time");
    assertThat(turns.get(0).idempotencyKey()).isEqualTo(RUN_ID + "/agent/turn-1");
    assertThat(toolMessages(turns.get(1))).singleElement()
        .satisfies(m -> {
          assertThat(m.toolCallId()).isEqualTo("c1");
          assertThat(m.content()).isEqualTo("42");
        });
  }

  @Test
  void agent_recordsEachToolCallAsAStep_andInTheEventLog() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")),
        answer("42"));
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.example("agent-tools"));

    RunResult result = result(workflow);

    assertThat(result.steps()).singleElement().satisfies(step -> {
      assertThat(step).containsEntry("type", "tool_call").containsEntry("tool", "calculator")
          .containsEntry("call_id", "c1").containsEntry("output", 42).containsEntry("turn", 1);
    });
    assertThat(events(workflow, RunEvent.TOOL_CALL)).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("name", "calculator").containsEntry("call_id", "c1"));
    assertThat(events(workflow, RunEvent.TOOL_RESULT)).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("text", "42").containsKey("ui_blocks"));
  }

  @Test
  void agent_runsTheToolCallsOfOneTurnInParallel() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"1+1\"}"),
        call("c2", "current_time", "{}")), answer("done"));
    CountDownLatch bothStarted = new CountDownLatch(2);
    when(tools.call(any())).thenAnswer(invocation -> {
      bothStarted.countDown();
      // Sequential calls would wait here for a second call that never starts.
      if (!bothStarted.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the calls ran one by one");
      return FORTY_TWO;
    });

    RunResult result = result(start(TestFlows.example("agent-tools")));

    assertThat(result.text()).isEqualTo("done");
    assertThat(toolCalls(2)).extracting(ToolCall::tool).containsExactlyInAnyOrder("calculator", "current_time");
    assertThat(toolMessages(chatCalls(2).get(1))).extracting(ChatMessage::toolCallId).containsExactly("c1", "c2");
  }

  @Test
  void agent_withParallelToolCallsOff_runsThemInOrder() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"1+1\"}"),
        call("c2", "calculator", "{\"expression\": \"2+2\"}")), answer("done"));
    List<String> order = new ArrayList<>();
    when(tools.call(any())).thenAnswer(invocation -> {
      order.add((String) ((ToolCall) invocation.getArgument(0)).arguments().get("expression"));
      return FORTY_TWO;
    });

    result(start(agent("parallelToolCalls", false)));

    assertThat(order).containsExactly("1+1", "2+2");
  }

  @Test
  void agent_answersMalformedArgumentsBackToTheModel_insteadOfFailing() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": 6*7")),
        calls(call("c2", "calculator", "{\"expression\": \"6*7\"}")), answer("42"));
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.example("agent-tools"));

    RunResult result = result(workflow);

    assertThat(result.text()).isEqualTo("42");
    assertThat(toolMessages(chatCalls(3).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).startsWith("Error (InvalidToolArguments)").contains("not a JSON object"));
    assertThat(toolCalls(1)).as("only the well-formed call ran").hasSize(1);
    assertThat(events(workflow, RunEvent.STATUS)).anySatisfy(e ->
        assertThat(e.data()).containsEntry("state", "tool_refused").containsEntry("call_id", "c1"));
  }

  @Test
  void agent_answersArgumentsThatBreakTheSchemaBackToTheModel() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"formula\": \"6*7\"}")), answer("sorry"));

    result(start(TestFlows.example("agent-tools")));

    assertThat(toolMessages(chatCalls(2).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).contains("do not match the tool's schema"));
    verify(tools, never()).call(any());
  }

  @Test
  void agent_answersAnUnknownToolBackToTheModel_namingTheToolsItHas() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "weather", "{}")), answer("no weather tool"));

    result(start(TestFlows.example("agent-tools")));

    assertThat(toolMessages(chatCalls(2).get(1))).singleElement().satisfies(m ->
        assertThat(m.content()).contains("no tool named 'weather'").contains("calculator, current_time"));
  }

  @Test
  void agent_answersAToolErrorBackToTheModel() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"1/0\"}")),
        answer("cannot divide by zero"));
    when(tools.call(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("division by zero", ToolFailures.TOOL_ERROR));

    RunResult result = result(start(TestFlows.example("agent-tools")));

    assertThat(result.text()).isEqualTo("cannot divide by zero");
    assertThat(toolMessages(chatCalls(2).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).isEqualTo("The tool failed (ToolError): division by zero"));
  }

  @Test
  void agent_aToolThatFailsThenSucceeds_isRetriedByTemporal_andTheModelReadsTheResult() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")), answer("42"));
    when(tools.call(any())).thenThrow(ApplicationFailure.newFailure("connection reset", "Flaky"))
        .thenReturn(FORTY_TWO);

    result(start(TestFlows.example("agent-tools")));

    toolCalls(2);
    assertThat(toolMessages(chatCalls(2).get(1))).singleElement().satisfies(m -> assertThat(m.content()).isEqualTo("42"));
  }

  @Test
  void agent_stopsAtItsStepLimit_withAClearResult() {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"1+1\"}")));
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(agent("maxSteps", 3));

    RunResult result = result(workflow);

    assertThat(result.text()).startsWith("The agent stopped after 3 steps without a final answer");
    chatCalls(3);
    assertThat(events(workflow, RunEvent.NODE_FINISHED)).anySatisfy(e ->
        assertThat(e.data()).containsEntry("stopped", "max_steps").containsEntry("turns", 3));
  }

  @Test
  void agent_shortensLongToolResultsForTheModel() {
    String longText = "x".repeat(5000);
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"1+1\"}")), answer("ok"));
    when(tools.call(any())).thenReturn(new ToolResult(longText, longText, 1, "7", 1, false));

    RunResult result = result(start(agent("toolResultLimit", 100)));

    String read = toolMessages(chatCalls(2).get(1)).get(0).content();
    assertThat(read).startsWith("x".repeat(100)).contains("[truncated: 100 of 5000 characters shown");
    assertThat(result.steps().get(0)).as("the run keeps the whole result").containsEntry("output", longText);
  }

  @Test
  void agent_aToolNeedingApproval_waitsForAPerson_thenRunsIt() throws Exception {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")), answer("42"));
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(agent("tools", List.of(
        Map.of("name", "calculator", "approval", "always"), "current_time")));

    HumanRequest request = awaitPending(workflow);
    assertThat(request.tool()).isEqualTo("calculator");
    verify(tools, never()).call(any());
    workflow.respond(new HumanAnswer(request.id(), HumanAnswer.APPROVE, null, null, null, "tok", "alice"));

    assertThat(result(workflow).steps().get(0)).containsKey("approval");
    toolCalls(1);
  }

  @Test
  void agent_aDeniedToolCall_isToldToTheModel_andNeverRuns() throws Exception {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")),
        answer("I was not allowed to calculate."));
    FlowRunWorkflow workflow = start(agent("tools", List.of(
        Map.of("name", "calculator", "approval", "always"), "current_time")));

    HumanRequest request = awaitPending(workflow);
    workflow.respond(new HumanAnswer(request.id(), HumanAnswer.DENY, "not now", null, null, "tok", "alice"));

    assertThat(result(workflow).text()).isEqualTo("I was not allowed to calculate.");
    verify(tools, never()).call(any());
    assertThat(toolMessages(chatCalls(2).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).contains("did not approve").contains("not now"));
  }

  @Test
  void agent_cancelledWhileAToolRuns_endsTheRunCancelled() throws Exception {
    when(llm.chat(any())).thenReturn(calls(call("c1", "calculator", "{\"expression\": \"6*7\"}")));
    CountDownLatch started = new CountDownLatch(1);
    when(tools.call(any())).thenAnswer(invocation -> {
      started.countDown();
      var context = io.temporal.activity.Activity.getExecutionContext();
      while (true) {
        context.heartbeat(null);
        Thread.sleep(50);
      }
    });
    FlowRunWorkflow workflow = start(TestFlows.example("agent-tools"));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    WorkflowStub.fromTyped(workflow).cancel();

    var failed = catchThrowableOfType(WorkflowFailedException.class, () -> result(workflow));
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
  }

  @Test
  void agent_aSubagent_runsItsFlowAsAChildRunAndReadsItsText() {
    FlowDefinition summariser = TestFlows.parse("""
        {"slug": "summariser", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string"}]}},
          {"id": "t", "type": "template", "data": {"template": "summary of {{input.message}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [{"source": "input", "target": "t"}, {"source": "t", "target": "output"}]}""");
    when(store.prepareChildRun(any())).thenAnswer(inv -> {
      io.durableflows.workflows.store.ChildRunSpec spec = inv.getArgument(0);
      return new RunRequest(spec.childRunId(), "acme", "summariser", "draft", summariser, spec.input());
    });
    when(llm.chat(any())).thenReturn(calls(call("c1", "helper", "{\"task\": \"the report\"}")), answer("ok"));

    result(start(agent("subagents", List.of(Map.of("name", "helper", "description", "Summarises things",
        "flow", "summariser")))));

    assertThat(toolMessages(chatCalls(2).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).isEqualTo("summary of the report"));
  }

  @Test
  void agent_aSubagentWhoseFlowIsUnknown_isAnsweredBackAsAToolFailure() {
    when(store.prepareChildRun(any())).thenThrow(io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
        "no flow 'summariser' in this organization", ChildRunFailure.NOT_FOUND));
    when(llm.chat(any())).thenReturn(calls(call("c1", "helper", "{\"task\": \"summarise\"}")), answer("ok"));

    result(start(agent("subagents", List.of(Map.of("name", "helper", "description", "Summarises things",
        "flow", "summariser")))));

    assertThat(toolMessages(chatCalls(2).get(1))).singleElement()
        .satisfies(m -> assertThat(m.content()).startsWith("The tool failed (SubflowNotFound)"));
  }
}
