package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
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
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/**
 * Approval, question and tool nodes on the test server with time skipping: time stands still while the test
 * queries and answers, and jumps ahead while it waits for a result (or {@code env.sleep}s), so timeouts of hours
 * pass at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HumanInTheLoopWorkflowTest {
  private static final String RUN_ID = "r-hitl";
  private static final LlmReply ANSWER =
      new LlmReply("Because of Rayleigh scattering.", "openai", "gpt-4o-mini", "stop", new Usage(12, 5), 0.00001, 250);
  private static final LlmReply DRAFT =
      new LlmReply("Blue light scatters more.", "openai", "gpt-4o-mini", "stop", new Usage(10, 5), 0.00001, 200);
  private static final ToolResult FORTY_TWO = new ToolResult(42, "42", 3, "7", 1, false);
  private static final Map<String, Object> WHY = Map.of("question", "Why is the sky blue?");

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    // As the workers run it: update validator failures keep their type (see UpdateFailureConverter).
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

  /** The request of node {@code nodeId}, once the run asks it. */
  private static HumanRequest awaitPending(FlowRunWorkflow workflow, String nodeId) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      for (HumanRequest r : workflow.pending()) {
        if (r.nodeId().equals(nodeId)) return r;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("node " + nodeId + " never asked");
  }

  private RunResult result(FlowRunWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(RunResult.class);
  }

  /** How the run ended when it failed. */
  private ApplicationFailure failure(FlowRunWorkflow workflow) {
    var failed = catchThrowableOfType(WorkflowFailedException.class, () -> result(workflow));
    assertThat(failed).as("the run fails").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failed.getCause();
  }

  /** The failure type with which the run's update validator refused an answer. */
  private static String refusal(ThrowingCallable respond) {
    var refused = catchThrowableOfType(WorkflowUpdateException.class, respond);
    assertThat(refused).as("the answer is refused").isNotNull();
    assertThat(refused.getCause()).isInstanceOf(ApplicationFailure.class);
    return ((ApplicationFailure) refused.getCause()).getType();
  }

  private static HumanAnswer approve(HumanRequest request) {
    return new HumanAnswer(request.id(), HumanAnswer.APPROVE, "fine", null, null, "tok_1", "alice");
  }

  private static HumanAnswer deny(HumanRequest request, String comment) {
    return new HumanAnswer(request.id(), HumanAnswer.DENY, comment, null, null, "tok_1", "alice");
  }

  private static HumanAnswer answer(HumanRequest request, Object value) {
    return new HumanAnswer(request.id(), HumanAnswer.ANSWER, null, null, value, "tok_2", "bob");
  }

  private static HumanAnswer approveWith(HumanRequest request, Map<String, Object> arguments) {
    return new HumanAnswer(request.id(), HumanAnswer.APPROVE, "use mine", arguments, null, "tok_1", "alice");
  }

  private LlmCall onlyLlmCall() {
    ArgumentCaptor<LlmCall> call = ArgumentCaptor.forClass(LlmCall.class);
    verify(llm).complete(call.capture());
    return call.getValue();
  }

  private ToolCall onlyToolCall() {
    ArgumentCaptor<ToolCall> call = ArgumentCaptor.forClass(ToolCall.class);
    verify(tools).call(call.capture());
    return call.getValue();
  }

  private RunOutcome recordedOutcome() {
    ArgumentCaptor<RunOutcome> outcome = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store).recordOutcome(outcome.capture());
    return outcome.getValue();
  }

  private static List<Tuple> log(FlowRunWorkflow workflow) {
    return workflow.events(0).events().stream().map(e -> tuple(e.type(), e.node())).toList();
  }

  private static RunEvent event(FlowRunWorkflow workflow, String type) {
    return workflow.events(0).events().stream().filter(e -> e.type().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event"));
  }

  private static FlowDefinition withPolicy(FlowDefinition flow, Object policy) {
    return TestFlows.withData(flow, "calc", "approval", policy);
  }

  // ------------------------------------------------------------------------------------------ approval nodes

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
  void approval_whenApproved_passesTheApproversCommentToLaterNodes() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);

    workflow.respond(approve(awaitPending(workflow)));
    result(workflow);

    assertThat(onlyLlmCall().systemPrompt()).isEqualTo("Answer briefly. The reviewer said: fine");
  }

  @Test
  void approval_whenDeniedWithADeniedBranch_runsThatBranch() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.deniedBranch(), WHY);

    workflow.respond(deny(awaitPending(workflow), "not today"));

    assertThat(result(workflow).output()).isEqualTo("Sorry, alice said no: not today");
    verify(llm, never()).complete(any());
  }

  @Test
  void approval_whenApprovedWithADeniedBranch_skipsThatBranch() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.deniedBranch(), WHY);

    workflow.respond(approve(awaitPending(workflow)));

    assertThat(result(workflow).output()).isEqualTo(ANSWER.text());
    assertThat(event(workflow, RunEvent.NODE_SKIPPED).node()).isEqualTo("sorry");
  }

  @Test
  void approval_whenDeniedWithADeniedBranchAndAnEdgeStraightToTheOutput_answersFromTheDeniedBranch()
      throws Exception {
    var flow = TestFlows.parse("""
        {
          "slug": "review-then-output",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [{"name": "question", "type": "string"}]}},
            {"id": "review", "type": "approval", "data": {"message": "Go ahead with {{input.question}}?"}},
            {"id": "sorry", "type": "template", "data": {"template": "Sorry: {{review.comment}}"}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "review"},
            {"id": "e2", "source": "review", "target": "output"},
            {"id": "e3", "source": "review", "target": "sorry", "sourceHandle": "denied"},
            {"id": "e4", "source": "sorry", "target": "output"}
          ]
        }
        """);
    FlowRunWorkflow workflow = start(flow, WHY);

    workflow.respond(deny(awaitPending(workflow), "not now"));

    assertThat(result(workflow).output()).isEqualTo("Sorry: not now");
  }

  @Test
  void approval_whenTheApproverCancels_takesTheDeniedBranch() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.deniedBranch(), WHY);

    HumanResolution resolution = workflow.respond(
        new HumanAnswer(awaitPending(workflow).id(), HumanAnswer.CANCEL, "wrong queue", null, null, "tok_1", "alice"));

    assertThat(resolution.status()).isEqualTo(HumanResolution.CANCELLED);
    assertThat(resolution.decision()).isEqualTo(HumanAnswer.DENY);
    assertThat(result(workflow).output()).isEqualTo("Sorry, alice said no: wrong queue");
    verify(llm, never()).complete(any());
  }

  @Test
  void approval_whenCancelledWithoutADeniedBranch_answersThatItWasCancelled() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);

    workflow.respond(new HumanAnswer(awaitPending(workflow).id(), HumanAnswer.CANCEL, null, null, null, null, "alice"));

    assertThat(result(workflow).output()).isEqualTo("Cancelled by alice (denied)");
  }

  @Test
  void approval_whenTheTimeoutPassesWithDecisionDeny_takesTheDeniedPath() {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);

    assertThat(result(workflow).output()).isEqualTo("No decision before the timeout: denied by default");
    verify(llm, never()).complete(any());
    assertThat(event(workflow, RunEvent.APPROVAL_RESOLVED).data())
        .containsEntry("status", HumanResolution.EXPIRED).containsEntry("decision", HumanAnswer.DENY);
  }

  @Test
  void approval_whenTheTimeoutPassesWithDecisionApprove_continues() {
    when(llm.complete(any())).thenReturn(ANSWER);
    var flow = TestFlows.withData(TestFlows.example("approval-demo"), "review", "timeoutDecision", "approve");
    FlowRunWorkflow workflow = start(flow, WHY);

    assertThat(result(workflow).output()).isEqualTo(ANSWER.text());
    assertThat(event(workflow, RunEvent.APPROVAL_RESOLVED).data())
        .containsEntry("status", HumanResolution.EXPIRED).containsEntry("decision", HumanAnswer.APPROVE);
  }

  @Test
  void approval_waitsForTheWholeTimeoutBeforeTakingTheTimeoutDecision() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    env.sleep(Duration.ofHours(23));

    assertThat(workflow.pending()).containsExactly(request);
  }

  @Test
  void approvalRequiredEvent_carriesTheRenderedMessageContextAndExpiry() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    Map<String, Object> data = event(workflow, RunEvent.APPROVAL_REQUIRED).data();

    assertThat(data).containsEntry("approval_id", request.id())
        .containsEntry("message", "May the assistant answer this question? Why is the sky blue?")
        .containsEntry("context", Map.of("question", "Why is the sky blue?"))
        .containsEntry("timeout_decision", HumanAnswer.DENY)
        .containsEntry("respond_url", "/api/v1/approvals/" + request.id() + "/respond");
    assertThat(Duration.between(Instant.parse((String) data.get("created_at")),
        Instant.parse((String) data.get("expires_at")))).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void pending_ofAnApprovalNode_describesTheRequest() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);

    HumanRequest request = awaitPending(workflow);

    assertThat(request.id()).matches("apr_[0-9a-f]{20}");
    assertThat(request.kind()).isEqualTo(HumanRequest.APPROVAL);
    assertThat(request.nodeId()).isEqualTo("review");
    assertThat(request.message()).isEqualTo("May the assistant answer this question? Why is the sky blue?");
    assertThat(request.tool()).isNull();
    assertThat(request.expiresAtMillis() - request.createdAtMillis()).isEqualTo(Duration.ofHours(24).toMillis());
  }

  @Test
  void pending_listsTheWaitingRequestThenNothingOnceAnswered() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);
    assertThat(workflow.pending()).containsExactly(request);

    workflow.respond(approve(request));

    assertThat(workflow.pending()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ refused answers

  @Test
  void respond_toAnAlreadyAnsweredRequest_isRefusedWithAlreadyResolved() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.twoApprovals(), WHY);
    HumanRequest first = awaitPending(workflow, "first");
    workflow.respond(approve(first));
    awaitPending(workflow, "second");

    assertThat(refusal(() -> workflow.respond(deny(first, "changed my mind"))))
        .isEqualTo(HitlFailures.ALREADY_RESOLVED);
  }

  @Test
  void respond_toACancelledRequest_isRefusedWithAlreadyResolved() throws Exception {
    // first -> output when approved; first -denied-> second -> output: a cancelled first leaves the run waiting.
    var twoApprovals = TestFlows.twoApprovals();
    var flow = TestFlows.withEdge(TestFlows.withEdge(new FlowDefinition(twoApprovals.slug(), null, null,
        twoApprovals.nodes(), twoApprovals.edges().stream().filter(e -> !e.id().equals("e2")).toList()),
        "first", "second", "denied"), "first", "output");
    FlowRunWorkflow workflow = start(flow, WHY);
    HumanRequest first = awaitPending(workflow, "first");
    workflow.respond(new HumanAnswer(first.id(), HumanAnswer.CANCEL, null, null, null, null, "alice"));
    awaitPending(workflow, "second");

    assertThat(refusal(() -> workflow.respond(approve(first)))).isEqualTo(HitlFailures.ALREADY_RESOLVED);
  }

  @Test
  void respond_toAnUnknownRequest_isRefusedWithRequestNotFound() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(
        new HumanAnswer("apr_00000000000000000000", HumanAnswer.APPROVE, null, null, null, null, null))))
        .isEqualTo(HitlFailures.REQUEST_NOT_FOUND);
  }

  @Test
  void respond_toARequestThatExpired_isRefusedWithRequestExpired() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.twoApprovals(), WHY);
    HumanRequest first = awaitPending(workflow, "first");
    env.sleep(Duration.ofHours(2));
    awaitPending(workflow, "second");

    assertThat(refusal(() -> workflow.respond(deny(first, "too late?")))).isEqualTo(HitlFailures.REQUEST_EXPIRED);
  }

  @Test
  void respond_withAnUnknownDecision_isRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(
        new HumanAnswer(request.id(), "maybe", null, null, null, "tok_1", "alice"))))
        .isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void respond_withModifiedArgumentsOnAnApprovalNode_isRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(approveWith(request, Map.of("expression", "1")))))
        .isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void respond_whenRefused_leavesTheRequestWaitingForAnAnswer() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);
    refusal(() -> workflow.respond(new HumanAnswer(request.id(), "maybe", null, null, null, null, null)));

    assertThat(workflow.pending()).containsExactly(request);
    assertThat(workflow.respond(approve(request)).status()).isEqualTo(HumanResolution.APPROVED);
    assertThat(result(workflow).output()).isEqualTo(ANSWER.text());
  }

  // ------------------------------------------------------------------------------------------ the Answer signal

  @Test
  void answerSignal_withApprove_approvesTheRequest() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);

    workflow.answer(approve(awaitPending(workflow)));

    assertThat(result(workflow).output()).isEqualTo(ANSWER.text());
    assertThat(event(workflow, RunEvent.APPROVAL_RESOLVED).data())
        .containsEntry("status", HumanResolution.APPROVED).containsEntry("responder", "alice");
  }

  @Test
  void answerSignal_withAnInvalidAnswer_logsAnswerRejectedAndKeepsWaiting() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    workflow.answer(new HumanAnswer(request.id(), "maybe", null, null, null, "tok_1", "alice"));

    RunEvent rejected = null;
    for (int i = 0; i < 500 && rejected == null; i++) {
      rejected = workflow.events(0).events().stream()
          .filter(e -> e.type().equals(RunEvent.STATUS) && "answer_rejected".equals(e.data().get("state")))
          .findFirst().orElse(null);
      Thread.sleep(10);
    }
    assertThat(rejected).as("answer_rejected status event").isNotNull();
    assertThat(rejected.data()).containsEntry("request_id", request.id())
        .containsEntry("error", HitlFailures.INVALID_ANSWER);
    assertThat(workflow.pending()).containsExactly(request);
  }

  // ------------------------------------------------------------------------------------------ question nodes

  @Test
  void question_answeredWithAChoice_putsTheAnswerInTheNextPrompt() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("question-demo"), Map.of("topic", "durable execution"));
    HumanRequest question = awaitPending(workflow);

    HumanResolution resolution = workflow.respond(answer(question, "step by step"));
    result(workflow);

    assertThat(resolution.status()).isEqualTo(HumanResolution.ANSWERED);
    assertThat(onlyLlmCall().prompt()).isEqualTo("Explain durable execution in step by step.");
  }

  @Test
  void question_asksWithItsRenderedTextAndChoices() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("question-demo"), Map.of("topic", "durable execution"));

    HumanRequest question = awaitPending(workflow);

    assertThat(question.id()).startsWith("qst_");
    assertThat(question.message()).isEqualTo("How detailed should the explanation of durable execution be?");
    assertThat(question.answerType()).isEqualTo("choice");
    assertThat(question.choices()).containsExactly("one sentence", "a short paragraph", "step by step");
    assertThat(event(workflow, RunEvent.QUESTION).data()).containsEntry("question_id", question.id())
        .containsEntry("respond_url", "/api/v1/questions/" + question.id() + "/respond");
  }

  @Test
  void question_withAChoiceNotOffered_isRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("question-demo"), Map.of("topic", "durable execution"));
    HumanRequest question = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(answer(question, "a novel")))).isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void question_withADecisionInsteadOfAnAnswer_isRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("question-demo"), Map.of("topic", "durable execution"));
    HumanRequest question = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(approve(question)))).isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void question_withJsonBreakingItsSchema_isRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.jsonQuestion(), Map.of("topic", "sorting"));
    HumanRequest question = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(answer(question, Map.of("steps", 0)))))
        .isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void question_withJsonMatchingItsSchema_passesTheValueOn() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.jsonQuestion(), Map.of("topic", "sorting"));

    workflow.respond(answer(awaitPending(workflow), Map.of("steps", 3)));
    result(workflow);

    assertThat(onlyLlmCall().prompt()).isEqualTo("Explain sorting in 3 steps.");
  }

  @Test
  void question_whenItExpiresWithATimeoutAnswer_continuesWithThatAnswer() {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("question-demo"), Map.of("topic", "durable execution"));

    result(workflow);

    assertThat(onlyLlmCall().prompt()).isEqualTo("Explain durable execution in a short paragraph.");
    assertThat(event(workflow, RunEvent.QUESTION_ANSWERED).data())
        .containsEntry("status", HumanResolution.EXPIRED).containsEntry("answer", "a short paragraph");
  }

  @Test
  void question_whenItExpiresWithoutATimeoutAnswer_failsTheRunWithQuestionExpired() {
    var flow = TestFlows.withData(TestFlows.example("question-demo"), "depth", "timeoutAnswer", null);
    FlowRunWorkflow workflow = start(flow, Map.of("topic", "durable execution"));

    ApplicationFailure failure = failure(workflow);

    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo("QuestionExpired");
    assertThat(failure.getOriginalMessage()).startsWith("node 'depth' failed: question qst_");
    verify(llm, never()).complete(any());
  }

  @Test
  void question_whenItExpiresWithoutATimeoutAnswer_recordsAFailedOutcome() {
    var flow = TestFlows.withData(TestFlows.example("question-demo"), "depth", "timeoutAnswer", null);
    FlowRunWorkflow workflow = start(flow, Map.of("topic", "durable execution"));
    failure(workflow);

    RunOutcome outcome = recordedOutcome();

    assertThat(outcome.status()).isEqualTo(RunOutcome.FAILED);
    assertThat(outcome.errorType()).isEqualTo("QuestionExpired");
  }

  // ------------------------------------------------------------------------------------------ tool nodes

  @Test
  void tool_withoutApproval_callsTheToolWithTheRenderedArguments() {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(withPolicy(TestFlows.calculator(), "never"), Map.of("expression", "6*7"));

    assertThat(result(workflow).output()).isEqualTo("42");
    assertThat(onlyToolCall()).isEqualTo(
        new ToolCall(RUN_ID, "calc", "calculator", Map.of("expression", "6*7"), RUN_ID + "/calc/1"));
    verify(store, never()).recordRequest(any(), any());
  }

  @Test
  void tool_withoutApproval_logsTheCallAndItsResult() {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(withPolicy(TestFlows.calculator(), "never"), Map.of("expression", "6*7"));
    result(workflow);

    assertThat(event(workflow, RunEvent.TOOL_CALL).data()).containsEntry("name", "calculator")
        .containsEntry("arguments", Map.of("expression", "6*7"))
        .containsEntry("idempotency_key", RUN_ID + "/calc/1");
    assertThat(event(workflow, RunEvent.TOOL_RESULT).data()).containsEntry("output", 42).containsEntry("text", "42");
  }

  @Test
  void tool_withApprovalAlways_asksWithTheToolItsArgumentsAndSchema() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));

    HumanRequest request = awaitPending(workflow);

    assertThat(request.kind()).isEqualTo(HumanRequest.APPROVAL);
    assertThat(request.message()).isEqualTo("Compute 6*7?");
    assertThat(request.tool()).isEqualTo("calculator");
    assertThat(request.arguments()).isEqualTo(Map.of("expression", "6*7"));
    assertThat(request.argumentsSchema()).isEqualTo(BuiltInTools.find("calculator").orElseThrow().parameters());
    assertThat(request.reason()).isEqualTo("this tool always needs approval");
    verify(tools, never()).call(any());
  }

  @Test
  void tool_approvedWithModifiedArguments_callsTheToolWithThem() throws Exception {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));

    HumanResolution resolution = workflow.respond(approveWith(awaitPending(workflow), Map.of("expression", "7*6")));
    result(workflow);

    assertThat(resolution.argumentsModified()).isTrue();
    assertThat(onlyToolCall().arguments()).isEqualTo(Map.of("expression", "7*6"));
  }

  @Test
  void tool_approvedWithModifiedArguments_listsTheCallInTheSteps() throws Exception {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));
    HumanRequest request = awaitPending(workflow);
    workflow.respond(approveWith(request, Map.of("expression", "7*6")));

    RunResult result = result(workflow);

    assertThat(result.steps()).singleElement().satisfies(step -> {
      assertThat(step).containsEntry("type", "tool_call").containsEntry("node", "calc")
          .containsEntry("tool", "calculator").containsEntry("arguments", Map.of("expression", "7*6"))
          .containsEntry("output", 42);
      assertThat(step.get("approval")).isEqualTo(Map.of("approval_id", request.id(), "status", "approved",
          "responder", "alice", "arguments_modified", true));
    });
  }

  @Test
  void tool_approvedAsProposed_callsTheToolWithTheProposedArguments() throws Exception {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));

    workflow.respond(approve(awaitPending(workflow)));
    result(workflow);

    assertThat(onlyToolCall().arguments()).isEqualTo(Map.of("expression", "6*7"));
  }

  @Test
  void tool_modifiedArgumentsBreakingTheToolSchema_areRefusedWithInvalidAnswer() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));
    HumanRequest request = awaitPending(workflow);

    assertThat(refusal(() -> workflow.respond(approveWith(request, Map.of("expr", "7*6")))))
        .isEqualTo(HitlFailures.INVALID_ANSWER);
    verify(tools, never()).call(any());
  }

  @Test
  void tool_whenDenied_isNotCalledAndTheRunAnswersWithTheDenial() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));

    workflow.respond(deny(awaitPending(workflow), "no"));

    RunResult result = result(workflow);
    assertThat(result.output()).isEqualTo("Tool call 'calculator' denied by alice: no");
    assertThat(result.steps()).singleElement().satisfies(step -> assertThat(step).containsEntry("output", null));
    verify(tools, never()).call(any());
  }

  @Test
  void tool_whenDeniedWithADeniedBranch_runsThatBranch() throws Exception {
    var flow = TestFlows.withEdge(TestFlows.withEdge(TestFlows.withNode(TestFlows.calculator(),
        new FlowDefinition.FlowNode("sorry", "template", Map.of("template", "Not computed: {{calc.comment}}"), null)),
        "calc", "sorry", "denied"), "sorry", "output");
    FlowRunWorkflow workflow = start(flow, Map.of("expression", "6*7"));

    workflow.respond(deny(awaitPending(workflow), "too costly"));

    assertThat(result(workflow).output()).isEqualTo("Not computed: too costly");
    verify(tools, never()).call(any());
  }

  @Test
  void tool_whenItsApprovalTimesOutWithDecisionApprove_callsTheTool() {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    var flow = TestFlows.withData(TestFlows.withData(TestFlows.calculator(), "calc", "timeout", "10m"),
        "calc", "timeoutDecision", "approve");
    FlowRunWorkflow workflow = start(flow, Map.of("expression", "6*7"));

    assertThat(result(workflow).output()).isEqualTo("42");
    assertThat(onlyToolCall().arguments()).isEqualTo(Map.of("expression", "6*7"));
  }

  @Test
  void tool_whenItsApprovalTimesOutWithTheDefaultDecision_isNotCalled() {
    var flow = TestFlows.withData(TestFlows.calculator(), "calc", "timeout", "10m");
    FlowRunWorkflow workflow = start(flow, Map.of("expression", "6*7"));

    assertThat(result(workflow).output())
        .isEqualTo("Tool call 'calculator' not approved before the timeout: no answer before the timeout");
    verify(tools, never()).call(any());
  }

  @Test
  void tool_whenNoApprovalRuleMatches_runsWithoutAskingAnyone() {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    var policy = Map.of("rules", List.of(Map.of("argument", "expression", "operator", "matches", "value", "\\d{6,}")));
    FlowRunWorkflow workflow = start(withPolicy(TestFlows.calculator(), policy), Map.of("expression", "6*7"));

    assertThat(result(workflow).output()).isEqualTo("42");
    verify(store, never()).recordRequest(any(), any());
    assertThat(workflow.events(0).events()).extracting(RunEvent::type).doesNotContain(RunEvent.APPROVAL_REQUIRED);
  }

  @Test
  void tool_whenAnApprovalRuleMatches_asksWithTheRuleAsReason() throws Exception {
    var policy = Map.of("rules", List.of(Map.of("argument", "expression", "operator", "matches", "value", "\\d{6,}")));
    FlowRunWorkflow workflow = start(withPolicy(TestFlows.calculator(), policy), Map.of("expression", "123456*2"));

    assertThat(awaitPending(workflow).reason()).isEqualTo("approval rule matched: expression matches \\d{6,}");
    verify(tools, never()).call(any());
  }

  @Test
  void tool_thatNeededNoApproval_skipsItsDeniedBranch() {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    var flow = TestFlows.withEdge(TestFlows.withEdge(TestFlows.withNode(withPolicy(TestFlows.calculator(), "never"),
        new FlowDefinition.FlowNode("sorry", "template", Map.of("template", "Not computed"), null)),
        "calc", "sorry", "denied"), "sorry", "output");
    FlowRunWorkflow workflow = start(flow, Map.of("expression", "6*7"));

    assertThat(result(workflow).output()).isEqualTo("42");
    assertThat(log(workflow)).contains(tuple(RunEvent.NODE_SKIPPED, "sorry"))
        .doesNotContain(tuple(RunEvent.NODE_STARTED, "sorry"));
  }

  @Test
  void tool_withArgumentsFromAnLlmJsonAnswer_callsTheToolWithThem() {
    when(llm.complete(any())).thenReturn(new LlmReply("```json\n{\"expression\": \"6*7\"}\n```", "openai",
        "gpt-4o-mini", "stop", new Usage(20, 8), 0.00001, 200));
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.plannedCalculation(), Map.of("task", "six times seven"));

    assertThat(result(workflow).output()).isEqualTo("42");
    assertThat(onlyToolCall().arguments()).isEqualTo(Map.of("expression", "6*7"));
  }

  @Test
  void tool_withArgumentsFromAnLlmAnswerThatIsNotJson_failsTheRunWithInvalidToolArguments() {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.plannedCalculation(), Map.of("task", "six times seven"));

    ApplicationFailure failure = failure(workflow);

    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    verify(tools, never()).call(any());
  }

  @Test
  void tool_withArgumentsBreakingTheToolSchema_failsTheRunBeforeAskingAnyone() {
    var flow = TestFlows.withData(TestFlows.calculator(), "calc", "arguments", Map.of("expr", "{{input.expression}}"));
    FlowRunWorkflow workflow = start(flow, Map.of("expression", "6*7"));

    ApplicationFailure failure = failure(workflow);

    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).startsWith("node 'calc' failed: the arguments of tool 'calculator'");
    verify(store, never()).recordRequest(any(), any());
    verify(tools, never()).call(any());
  }

  @Test
  void tool_whenTheToolFails_failsTheRunWithItsFailureType() {
    when(tools.call(any())).thenThrow(ApplicationFailure.newFailure("division by zero", ToolFailures.TOOL_ERROR));
    FlowRunWorkflow workflow = start(withPolicy(TestFlows.calculator(), "never"), Map.of("expression", "1/0"));

    ApplicationFailure failure = failure(workflow);

    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(ToolFailures.TOOL_ERROR);
    verify(tools).call(any());
  }

  // ------------------------------------------------------------------------------------------ cancellation

  @Test
  void run_cancelledWhileWaiting_recordsACancelledOutcome() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    awaitPending(workflow);

    WorkflowStub.fromTyped(workflow).cancel();

    var ended = catchThrowableOfType(WorkflowFailedException.class, () -> result(workflow));
    assertThat(ended.getCause()).isInstanceOf(CanceledFailure.class);
    RunOutcome outcome = recordedOutcome();
    assertThat(outcome.status()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(outcome.errorType()).isEqualTo("cancelled");
  }

  @Test
  void run_cancelledWhileWaiting_keepsTheTextOfTheLastNodeAsPartialOutput() throws Exception {
    when(llm.complete(any())).thenReturn(DRAFT);
    FlowRunWorkflow workflow = start(TestFlows.draftThenReview(), WHY);
    awaitPending(workflow);

    WorkflowStub.fromTyped(workflow).cancel();
    catchThrowableOfType(WorkflowFailedException.class, () -> result(workflow));

    RunOutcome outcome = recordedOutcome();
    assertThat(outcome.output()).isEqualTo(DRAFT.text());
    assertThat(outcome.text()).isEqualTo(DRAFT.text());
    assertThat(outcome.events().getLast().data()).containsEntry("status", RunOutcome.CANCELLED)
        .containsEntry("partial", true).containsEntry("output", DRAFT.text());
  }

  // ------------------------------------------------------------------------------------------ store and log

  @Test
  void store_recordsTheRequestThenItsResolutionThenTheOutcome() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    HumanResolution resolution = workflow.respond(approve(request));
    result(workflow);

    var order = inOrder(store);
    order.verify(store).recordRequest(eq(RUN_ID), eq(request));
    order.verify(store).recordResolution(eq(RUN_ID), eq(resolution));
    order.verify(store).recordOutcome(any());
  }

  @Test
  void respond_returnsTheResolutionAsRecorded() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    HumanRequest request = awaitPending(workflow);

    HumanResolution resolution = workflow.respond(approve(request));

    assertThat(resolution).isEqualTo(new HumanResolution(request.id(), HumanRequest.APPROVAL,
        HumanResolution.APPROVED, HumanAnswer.APPROVE, null, null, false, "fine", "tok_1", "alice",
        resolution.resolvedAtMillis(), resolution.resolvedAtMillis() - request.createdAtMillis()));
  }

  @Test
  void events_ofAnApprovedRun_showTheWaitBetweenTheNodeBoundaries() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), WHY);
    workflow.respond(approve(awaitPending(workflow)));
    result(workflow);

    assertThat(log(workflow)).containsExactly(
        tuple(RunEvent.RUN_STARTED, null),
        tuple(RunEvent.NODE_STARTED, "review"),
        tuple(RunEvent.APPROVAL_REQUIRED, "review"),
        tuple(RunEvent.APPROVAL_RESOLVED, "review"),
        tuple(RunEvent.NODE_FINISHED, "review"),
        tuple(RunEvent.NODE_STARTED, "answer"),
        tuple(RunEvent.NODE_FINISHED, "answer"),
        tuple(RunEvent.NODE_STARTED, "output"),
        tuple(RunEvent.NODE_FINISHED, "output"),
        tuple(RunEvent.USAGE, null),
        tuple(RunEvent.DONE, null));
  }

  @Test
  void events_ofADeniedRun_skipTheApprovedBranch() throws Exception {
    FlowRunWorkflow workflow = start(TestFlows.deniedBranch(), WHY);
    workflow.respond(deny(awaitPending(workflow), "no"));
    result(workflow);

    assertThat(log(workflow)).containsExactly(
        tuple(RunEvent.RUN_STARTED, null),
        tuple(RunEvent.NODE_STARTED, "review"),
        tuple(RunEvent.APPROVAL_REQUIRED, "review"),
        tuple(RunEvent.APPROVAL_RESOLVED, "review"),
        tuple(RunEvent.NODE_FINISHED, "review"),
        tuple(RunEvent.NODE_SKIPPED, "answer"),
        tuple(RunEvent.NODE_STARTED, "sorry"),
        tuple(RunEvent.NODE_FINISHED, "sorry"),
        tuple(RunEvent.NODE_STARTED, "output"),
        tuple(RunEvent.NODE_FINISHED, "output"),
        tuple(RunEvent.USAGE, null),
        tuple(RunEvent.DONE, null));
    assertThat(event(workflow, RunEvent.NODE_SKIPPED).data())
        .containsEntry("reason", "node 'review' took its denied branch");
    assertThat(event(workflow, RunEvent.NODE_FINISHED).data()).containsEntry("decision", "denied");
  }

  @Test
  void events_ofAToolCallWithApproval_askBeforeCallingTheTool() throws Exception {
    when(tools.call(any())).thenReturn(FORTY_TWO);
    FlowRunWorkflow workflow = start(TestFlows.calculator(), Map.of("expression", "6*7"));
    workflow.respond(approveWith(awaitPending(workflow), Map.of("expression", "7*6")));
    result(workflow);

    assertThat(log(workflow)).containsSubsequence(
        tuple(RunEvent.NODE_STARTED, "calc"),
        tuple(RunEvent.APPROVAL_REQUIRED, "calc"),
        tuple(RunEvent.APPROVAL_RESOLVED, "calc"),
        tuple(RunEvent.TOOL_CALL, "calc"),
        tuple(RunEvent.TOOL_RESULT, "calc"),
        tuple(RunEvent.NODE_FINISHED, "calc"));
    assertThat(event(workflow, RunEvent.APPROVAL_RESOLVED).data())
        .containsEntry("arguments", Map.of("expression", "7*6"));
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
  void answerSignals_thatTheRunRefuses_areNotedInTheEventLogAndTheFirstValidOneStands() throws Exception {
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

  @Test
  void answerSignal_withNoAction_isRejectedAndTheRunStillTakesALaterAnswer() throws Exception {
    when(llm.complete(any())).thenReturn(ANSWER);
    FlowRunWorkflow workflow = start(TestFlows.example("approval-demo"), Map.of("question", "Why?"));
    HumanRequest request = awaitPending(workflow);

    workflow.answer(new HumanAnswer(request.id(), null, null, null, null, "tok_1", "alice"));
    workflow.answer(new HumanAnswer(request.id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice"));

    assertThat(result(workflow).output()).isEqualTo("Because of Rayleigh scattering.");
    assertThat(workflow.events(0).events()).filteredOn(e -> RunEvent.STATUS.equals(e.type()))
        .extracting(e -> e.data().get("state")).containsExactly("answer_rejected");
  }
}
