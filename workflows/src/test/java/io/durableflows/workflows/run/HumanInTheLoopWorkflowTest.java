package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunStoreActivities;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HumanInTheLoopWorkflowTest {
  private static final String RUN_ID = "r-hitl";
  private static final LlmReply ANSWER =
      new LlmReply("Because of Rayleigh scattering.", "openai", "gpt-4o-mini", "stop", new Usage(12, 5), 0.00001, 250);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
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

  private FlowRunWorkflow start(FlowDefinition flow, Map<String, Object> input) {
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowId(FlowRunWorkflow.workflowId("acme", flow.slug(), RUN_ID))
        .build());
    WorkflowClient.start(workflow::run, new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow, input));
    return workflow;
  }

  private static HumanRequest awaitPending(FlowRunWorkflow workflow) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<HumanRequest> pending = workflow.pending();
      if (!pending.isEmpty()) return pending.get(0);
      Thread.sleep(10);
    }
    throw new AssertionError("the run never asked");
  }

  private RunResult result(FlowRunWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(RunResult.class);
  }

  @Test
  void approval_whenApproved_continuesToTheModel() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), Map.of("question", "Why is the sky blue?"));
    HumanRequest request = awaitPending(workflow);

    HumanResolution resolution = workflow.respond(
        new HumanAnswer(request.id(), HumanAnswer.APPROVE, "fine", null, null, "tok_1", "alice"));

    assertThat(resolution.status()).isEqualTo(HumanResolution.APPROVED);
    assertThat(result(workflow).output()).isEqualTo("Because of Rayleigh scattering.");
    assertThat(workflow.events(0).events()).extracting(RunEvent::type)
        .contains(RunEvent.APPROVAL_REQUIRED, RunEvent.APPROVAL_RESOLVED);
  }

  @Test
  void approval_whenDenied_skipsTheModelAndAnswersWithTheDenial() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), Map.of("question", "Why?"));
    HumanRequest request = awaitPending(workflow);

    workflow.respond(new HumanAnswer(request.id(), HumanAnswer.DENY, "not today", null, null, "tok_1", "alice"));

    assertThat(result(workflow).output()).isEqualTo("Denied by alice: not today");
    verify(llm, never()).complete(any());
  }

  @Test
  void rawOutput_ofAToolNode_isTheToolsText_whileTemplatesGetItsStructuredOutput() {
    when(tools.call(any())).thenReturn(
        new ToolResult(Map.of("expression", "6*7", "result", 42), "42", 1, "act-1", 1, false));
    FlowDefinition flow = TestFlows.parse("""
        {"slug": "calc", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "expression"}]}},
          {"id": "calc", "type": "tool",
           "data": {"tool": "calculator", "arguments": {"expression": "{{input.expression}}"}}},
          {"id": "shown", "type": "template", "data": {"json": {"result": "{{calc.output.result}}"}}},
          {"id": "output", "type": "output", "data": {"shape": "raw", "source": "calc"}}],
         "edges": [{"id": "e1", "source": "input", "target": "calc"},
                   {"id": "e2", "source": "calc", "target": "shown"},
                   {"id": "e3", "source": "shown", "target": "output"}]}""");

    RunResult result = result(start(flow, Map.of("expression", "6*7")));

    assertThat(result.output()).isEqualTo("42");
    assertThat(result.text()).isEqualTo("42");
  }

  @Test
  void respond_toARequestAlreadyResolved_isRefusedWithTheFailureTypeIntact() throws Exception {
    when(llm.complete(any())).thenAnswer(call -> {
      Thread.sleep(2_000);
      return ANSWER;
    });
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), Map.of("question", "Why?"));
    HumanRequest request = awaitPending(workflow);
    workflow.respond(new HumanAnswer(request.id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice"));

    WorkflowUpdateException refused = catchThrowableOfType(WorkflowUpdateException.class, () -> workflow.respond(
        new HumanAnswer(request.id(), HumanAnswer.DENY, null, null, null, "tok_2", "bob")));

    ApplicationFailure innermost = null;
    for (Throwable t = refused.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) innermost = af;
    }
    assertThat(innermost).isNotNull();
    assertThat(innermost.getType()).isEqualTo(HitlFailures.ALREADY_RESOLVED);
    assertThat(innermost.getOriginalMessage()).isEqualTo(request.id() + " was already approved by alice");
  }

  @Test
  void answerSignal_thatTheRunRefuses_isNotedInTheEventLogAndTheRunKeepsWaiting() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), Map.of("question", "Why?"));
    HumanRequest request = awaitPending(workflow);

    workflow.answer(new HumanAnswer(request.id(), HumanAnswer.ANSWER, null, null, "yes", "tok_1", "alice"));
    workflow.answer(new HumanAnswer(request.id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice"));
    workflow.answer(new HumanAnswer(request.id(), HumanAnswer.DENY, null, null, null, "tok_2", "bob"));

    assertThat(result(workflow).output()).isEqualTo("Because of Rayleigh scattering.");
    List<Object> rejected = workflow.events(0).events().stream()
        .filter(e -> RunEvent.STATUS.equals(e.type()) && "answer_rejected".equals(e.data().get("state")))
        .map(e -> e.data().get("error")).toList();
    assertThat(rejected).containsExactly(HitlFailures.INVALID_ANSWER, HitlFailures.ALREADY_RESOLVED);
  }
}
