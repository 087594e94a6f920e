package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.Overrides;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.LlmCallRecord;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
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
import org.mockito.ArgumentCaptor;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowRunWorkflowTest {
  private static final String RUN_ID = "r-123";
  private static final Map<String, Object> QUESTION = Map.of("question", "Why is the sky blue?", "tone", "friendly");

  private static final LlmReply ANSWER = new LlmReply(
      "Blue light scatters more.", "openai", "gpt-4o-mini", "stop", new Usage(12, 5), 0.00001, 250);
  private static final LlmReply DRAFT = new LlmReply(
      "Because of scattering.", "openai", "gpt-4o-mini", "stop", new Usage(20, 7), 0.00002, 300);
  private static final LlmReply CRITIQUE = new LlmReply(
      "Rayleigh scattering favours blue.", "openai", "gpt-4o", "length", new Usage(40, 11), 0.0003, 400);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
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

  private RunResult run(FlowDefinition flow, Map<String, Object> input) {
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowId(FlowRunWorkflow.workflowId("acme", flow.slug(), RUN_ID))
        .build());
    return workflow.run(new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow, input));
  }

  /** Answers each llm node of {@link TestFlows#chained()} with its own reply. */
  private void answerChainedNodes() {
    when(llm.complete(any())).thenAnswer(inv -> switch (inv.<LlmCall>getArgument(0).nodeId()) {
      case "draft" -> DRAFT;
      case "critique" -> CRITIQUE;
      default -> throw new IllegalArgumentException("unexpected node");
    });
  }

  private LlmCall onlyCall() {
    ArgumentCaptor<LlmCall> call = ArgumentCaptor.forClass(LlmCall.class);
    verify(llm).complete(call.capture());
    return call.getValue();
  }

  private RunOutcome recordedOutcome() {
    ArgumentCaptor<RunOutcome> outcome = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store).recordOutcome(outcome.capture());
    return outcome.getValue();
  }

  private static long number(Object value) {
    assertThat(value).isInstanceOf(Number.class);
    return ((Number) value).longValue();
  }

  @Test
  void run_withRawOutput_returnsTheLlmText() {
    when(llm.complete(any())).thenReturn(ANSWER);

    RunResult result = run(TestFlows.example("qa-raw"), QUESTION);

    assertThat(result.shape()).isEqualTo("raw");
    assertThat(result.output()).isEqualTo("Blue light scatters more.");
    assertThat(result.text()).isEqualTo("Blue light scatters more.");
    assertThat(result.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void run_withLlmNode_callsTheModelWithRenderedPromptsAndNodeSettings() {
    when(llm.complete(any())).thenReturn(ANSWER);

    run(TestFlows.example("qa-raw"), QUESTION);

    assertThat(onlyCall()).isEqualTo(new LlmCall(RUN_ID, "answer", null, null, "Answer in a friendly tone.",
        "Why is the sky blue?", null, 512, false, RUN_ID + "/answer/1"));
  }

  @Test
  void run_withOpenAiOutput_returnsAChatCompletionObject() {
    when(llm.complete(any())).thenReturn(ANSWER);
    long before = env.currentTimeMillis() / 1000;

    RunResult result = run(TestFlows.example("qa-openai"), Map.of("question", "Why is the sky blue?"));

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) result.output();
    assertThat(body).containsEntry("id", "flowrun_" + RUN_ID)
        .containsEntry("object", "chat.completion")
        .containsEntry("model", "gpt-4o-mini")
        .containsEntry("choices", List.of(Map.of(
            "index", 0,
            "message", Map.of("role", "assistant", "content", "Blue light scatters more."),
            "finish_reason", "stop")));
    assertThat(number(body.get("created"))).isBetween(before, env.currentTimeMillis() / 1000);
  }

  @Test
  void run_withOpenAiOutput_sumsUsageOverEveryLlmNode() {
    answerChainedNodes();
    var flow = Overrides.apply(TestFlows.chained(),
        Map.of("node/output.shape", "openai_chat_completion", "node/output.source", "critique"));

    RunResult result = run(flow, QUESTION);

    @SuppressWarnings("unchecked")
    var usage = (Map<String, Object>) ((Map<String, Object>) result.output()).get("usage");
    assertThat(number(usage.get("prompt_tokens"))).isEqualTo(60);
    assertThat(number(usage.get("completion_tokens"))).isEqualTo(18);
    assertThat(number(usage.get("total_tokens"))).isEqualTo(78);
    assertThat(result.usage()).isEqualTo(new Usage(60, 18));
  }

  @Test
  void run_withOpenAiOutput_takesModelAndFinishReasonFromTheSourceNode() {
    answerChainedNodes();
    var flow = Overrides.apply(TestFlows.chained(),
        Map.of("node/output.shape", "openai_chat_completion", "node/output.source", "draft"));

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) run(flow, QUESTION).output();

    assertThat(body).containsEntry("model", "gpt-4o-mini");
    assertThat(body.get("choices")).isEqualTo(List.of(Map.of(
        "index", 0,
        "message", Map.of("role", "assistant", "content", "Because of scattering."),
        "finish_reason", "stop")));
  }

  @Test
  void run_withJsonTemplateOutput_keepsTheJsonTypesOfWholePlaceholders() {
    when(llm.complete(any())).thenReturn(ANSWER);

    RunResult result = run(TestFlows.example("qa-template"), Map.of("question", "Why?", "user_id", "u-7"));

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) result.output();
    assertThat(body).containsEntry("question", "Why?")
        .containsEntry("user_id", "u-7")
        .containsEntry("answer", "Blue light scatters more.")
        .containsEntry("model", "gpt-4o-mini");
    assertThat(body.get("tokens")).isInstanceOf(Number.class);
    assertThat(number(body.get("tokens"))).isEqualTo(17);
  }

  @Test
  void run_withJsonTemplateOutput_rendersMissingOptionalInputAsNull() {
    when(llm.complete(any())).thenReturn(ANSWER);

    RunResult result = run(TestFlows.example("qa-template"), Map.of("question", "Why?"));

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) result.output();
    assertThat(body).containsEntry("user_id", null);
  }

  @Test
  void run_withChainedLlmNodes_callsThemInOrderWithTheRenderedPrompts() {
    answerChainedNodes();

    run(TestFlows.chained(), QUESTION);

    ArgumentCaptor<LlmCall> calls = ArgumentCaptor.forClass(LlmCall.class);
    inOrder(llm).verify(llm, times(2)).complete(calls.capture());
    assertThat(calls.getAllValues()).extracting(LlmCall::nodeId, LlmCall::model, LlmCall::systemPrompt,
        LlmCall::prompt, LlmCall::temperature, LlmCall::maxTokens).containsExactly(
        tuple("draft", "gpt-4o-mini", "Answer in a friendly tone.",
            "Draft an answer: Why is the sky blue?", 0.3, 256),
        tuple("critique", "gpt-4o", null,
            "Improve this draft: Because of scattering.", null, 256));
  }

  @Test
  void run_withTemplateNode_passesItsJsonToTheOutputTemplate() {
    answerChainedNodes();

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) run(TestFlows.chained(), QUESTION).output();

    assertThat(body).containsEntry("question", "Why is the sky blue?")
        .containsEntry("answer", "Rayleigh scattering favours blue.")
        .containsEntry("summary", "gpt-4o used 51 tokens");
    assertThat(number(body.get("tokens"))).isEqualTo(51);
    @SuppressWarnings("unchecked")
    var report = (Map<String, Object>) body.get("report");
    assertThat(report).containsEntry("draft", "Because of scattering.")
        .containsEntry("final", "Rayleigh scattering favours blue.");
    assertThat(number(report.get("draftTokens"))).isEqualTo(27);
  }

  @Test
  void run_whenCompleted_recordsACompletedOutcomeWithUsageCostAndCalls() {
    answerChainedNodes();

    RunResult result = run(TestFlows.chained(), QUESTION);

    RunOutcome outcome = recordedOutcome();
    assertThat(outcome.runId()).isEqualTo(RUN_ID);
    assertThat(outcome.status()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(outcome.output()).isEqualTo(result.output());
    assertThat(outcome.text()).isEqualTo(result.text());
    assertThat(outcome.usage()).isEqualTo(new Usage(60, 18));
    assertThat(outcome.costUsd()).isCloseTo(0.00032, offset(1e-12));
    assertThat(outcome.errorType()).isNull();
    assertThat(outcome.errorMessage()).isNull();
    assertThat(outcome.llmCalls()).containsExactly(
        new LlmCallRecord("draft", "openai", "gpt-4o-mini", new Usage(20, 7), 0.00002, 300, null, 0,
            RUN_ID + "/draft/1"),
        new LlmCallRecord("critique", "openai", "gpt-4o", new Usage(40, 11), 0.0003, 400, null, 0,
            RUN_ID + "/critique/1"));
  }

  @Test
  void run_whenCompleted_returnsUsageAndCostOfTheRun() {
    answerChainedNodes();

    RunResult result = run(TestFlows.chained(), QUESTION);

    assertThat(result.runId()).isEqualTo(RUN_ID);
    assertThat(result.usage()).isEqualTo(new Usage(60, 18));
    assertThat(result.costUsd()).isCloseTo(0.00032, offset(1e-12));
  }

  @Test
  void run_whenLlmFailsNonRetryably_failsWithNodeFailedCarryingTheFailureType() {
    when(llm.complete(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH));

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(TestFlows.example("qa-raw"), QUESTION));

    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    var failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(failure.getOriginalMessage()).isEqualTo("node 'answer' failed: 401 invalid api key");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void run_whenLlmFails_recordsAFailedOutcomeWithTheCallsMadeSoFar() {
    when(llm.complete(any())).thenAnswer(inv -> {
      if (inv.<LlmCall>getArgument(0).nodeId().equals("draft")) return DRAFT;
      throw ApplicationFailure.newNonRetryableFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH);
    });

    catchThrowableOfType(WorkflowFailedException.class, () -> run(TestFlows.chained(), QUESTION));

    RunOutcome outcome = recordedOutcome();
    assertThat(outcome.status()).isEqualTo(RunOutcome.FAILED);
    assertThat(outcome.errorType()).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(outcome.errorMessage()).isEqualTo("node 'critique' failed: 401 invalid api key");
    assertThat(outcome.output()).isNull();
    assertThat(outcome.usage()).isEqualTo(new Usage(20, 7));
    assertThat(outcome.llmCalls()).extracting(LlmCallRecord::nodeId).containsExactly("draft");
  }

  @Test
  void run_whenLlmFailsWithTypeTheRetryPolicyExcludes_callsTheModelOnce() {
    when(llm.complete(any())).thenThrow(ApplicationFailure.newFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH));

    catchThrowableOfType(WorkflowFailedException.class, () -> run(TestFlows.example("qa-raw"), QUESTION));

    verify(llm, times(1)).complete(any());
  }

  @Test
  void run_whenLlmIsUnavailableOnce_retriesAndCompletes() {
    when(llm.complete(any()))
        .thenThrow(ApplicationFailure.newFailure("503 overloaded", LlmFailures.PROVIDER_UNAVAILABLE))
        .thenReturn(ANSWER);

    RunResult result = run(TestFlows.example("qa-raw"), QUESTION);

    assertThat(result.output()).isEqualTo("Blue light scatters more.");
    verify(llm, times(2)).complete(any());
    assertThat(recordedOutcome().status()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void run_whenLlmStaysUnavailable_givesUpAfterFourAttemptsWithNodeFailed() {
    when(llm.complete(any())).thenThrow(ApplicationFailure.newFailure("503 overloaded", LlmFailures.PROVIDER_UNAVAILABLE));

    var failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> run(TestFlows.example("qa-raw"), QUESTION));

    verify(llm, times(4)).complete(any());
    var failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(RunFailures.NODE_FAILED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
  }
}
