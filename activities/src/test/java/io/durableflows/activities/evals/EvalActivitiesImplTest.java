package io.durableflows.activities.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.llm.ModelChats;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.ProviderSettings;
import io.durableflows.workflows.evals.EvalActivities;
import io.durableflows.workflows.evals.EvalCall;
import io.durableflows.workflows.evals.EvalFailures;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvaluatorKinds;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.run.ActivityPolicies;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EvalActivitiesImpl} as Temporal runs it; judges against a local server speaking the OpenAI protocol (the
 * real langchain4j model over real HTTP) or the offline model.
 */
class EvalActivitiesImplTest {
  private OpenAiStubServer stub;
  private TestActivityEnvironment env;
  private EvalActivities once;
  private EvalActivitiesImpl activities;

  @BeforeEach
  void setUp() {
    stub = OpenAiStubServer.start();
    var settings = new ProviderSettings("stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini",
        Duration.ofSeconds(5));
    env = TestActivityEnvironment.newInstance();
    activities = new EvalActivitiesImpl(new ModelChats(new ModelProviders(List.of(settings), "offline")));
    env.registerActivitiesImplementations(activities);
    once = stub(RetryOptions.newBuilder().setMaximumAttempts(1).build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    stub.close();
  }

  private EvalActivities stub(RetryOptions retry) {
    return env.newActivityStub(EvalActivities.class, ActivityOptions.newBuilder(ActivityPolicies.EVAL)
        .setRetryOptions(retry).build());
  }

  private static EvalCall call(String kind, Map<String, Object> config, Object output, Map<String, Object> external) {
    return new EvalCall("evj_1/0", "acme", "run_1", new EvaluatorSpec("evl_1", "check", kind, config, false),
        Map.of("question", "What is the capital of France?", "answer", "Paris"), output, external);
  }

  private ApplicationFailure failureOf(EvalCall call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> once.evaluate(call));
    assertThat(failure).as("evaluate(...) should fail").isNotNull();
    return (ApplicationFailure) failure.getCause();
  }

  private static Map<String, Object> judge(Object... more) {
    Map<String, Object> config = new HashMap<>(Map.of("rubric", "The answer names the capital correctly.",
        "provider", "stub"));
    for (int i = 0; i < more.length; i += 2) config.put((String) more[i], more[i + 1]);
    return config;
  }

  // ------------------------------------------------------------------------------------------ exact, contains

  @Test
  void exact_withTheExpectedAnswerFromExternalInput_passes() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.EXACT, Map.of(), " Paris\n", Map.of("expected", "Paris")));

    assertThat(result.passed()).isTrue();
    assertThat(result.score()).isEqualTo(1.0);
    assertThat(result.error()).isNull();
  }

  @Test
  void exact_withAnotherAnswer_failsWithBothInTheReason() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.EXACT, Map.of(), "Lyon", Map.of("expected", "Paris")));

    assertThat(result.passed()).isFalse();
    assertThat(result.score()).isEqualTo(0.0);
    assertThat(result.reason()).contains("\"Paris\"").contains("\"Lyon\"");
  }

  @Test
  void exact_withExpectedTemplatedOverTheRunInput_comparesWithIt() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.EXACT, Map.of("expected", "{{input.answer}}"), "Paris",
        null));

    assertThat(result.passed()).isTrue();
  }

  @Test
  void exact_withAPath_comparesTheValueThere() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.EXACT, Map.of("path", "city.name"),
        Map.of("city", Map.of("name", "Paris")), Map.of("expected", "Paris")));

    assertThat(result.passed()).isTrue();
  }

  @Test
  void exact_overAChatCompletionOutput_readsItsMessageContent() {
    Map<String, Object> completion = Map.of("object", "chat.completion",
        "choices", List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", "Paris"))));

    assertThat(once.evaluate(call(EvaluatorKinds.EXACT, Map.of(), completion, Map.of("expected", "Paris"))).passed())
        .isTrue();
  }

  @Test
  void exact_withNoExpectedValueAnywhere_failsNonRetryablyAsInvalidEvaluator() {
    ApplicationFailure failure = failureOf(call(EvaluatorKinds.EXACT, Map.of(), "Paris", null));

    assertThat(failure.getType()).isEqualTo(EvalFailures.INVALID_EVALUATOR);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("expected");
  }

  @Test
  void contains_isCaseInsensitiveByDefault_andNamesWhatIsMissing() {
    assertThat(once.evaluate(call(EvaluatorKinds.CONTAINS, Map.of(), "The capital is PARIS.",
        Map.of("expected", "paris"))).passed()).isTrue();

    EvalResult missing = once.evaluate(call(EvaluatorKinds.CONTAINS, Map.of("expected", List.of("Paris", "Seine")),
        "The capital is Paris.", null));
    assertThat(missing.passed()).isFalse();
    assertThat(missing.reason()).contains("\"Seine\"").doesNotContain("\"Paris\"");
  }

  // --------------------------------------------------------------------------------------------- regex

  @Test
  void regex_matchingTheOutput_passes() {
    assertThat(once.evaluate(call(EvaluatorKinds.REGEX, Map.of("pattern", "^Paris\\b"), "Paris, of course", null))
        .passed()).isTrue();
    assertThat(once.evaluate(call(EvaluatorKinds.REGEX, Map.of("pattern", "^Paris\\b"), "It is Paris", null))
        .passed()).isFalse();
  }

  @Test
  void regex_thatBacktracksCatastrophically_stopsOnItsBudget_andFailsAsInvalidEvaluator() {
    ApplicationFailure failure = failureOf(call(EvaluatorKinds.REGEX, Map.of("pattern", "(.*a){15}$"),
        "a".repeat(40) + "!", null));

    assertThat(failure.getType()).isEqualTo(EvalFailures.INVALID_EVALUATOR);
    assertThat(failure.getOriginalMessage()).contains("budget").doesNotContain("Exhausted");
  }

  @Test
  void regex_thatDoesNotCompile_failsNonRetryablyAsInvalidEvaluator() {
    ApplicationFailure failure = failureOf(call(EvaluatorKinds.REGEX, Map.of("pattern", "(unclosed"), "x", null));

    assertThat(failure.getType()).isEqualTo(EvalFailures.INVALID_EVALUATOR);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  // ---------------------------------------------------------------------------------------- json_schema

  private static final Map<String, Object> PERSON = Map.of("type", "object", "required", List.of("name", "age"),
      "properties", Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer")));

  @Test
  void jsonSchema_withAMatchingJsonText_passes() {
    assertThat(once.evaluate(call(EvaluatorKinds.JSON_SCHEMA, Map.of("schema", PERSON),
        "```json\n{\"name\": \"Ada\", \"age\": 36}\n```", null)).passed()).isTrue();
  }

  @Test
  void jsonSchema_withAMissingField_failsNamingIt() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.JSON_SCHEMA, Map.of("schema", PERSON),
        Map.of("name", "Ada"), null));

    assertThat(result.passed()).isFalse();
    assertThat(result.reason()).contains("age");
  }

  @Test
  void jsonSchema_withTextThatIsNotJson_fails() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.JSON_SCHEMA, Map.of("schema", PERSON), "Ada, 36", null));

    assertThat(result.passed()).isFalse();
    assertThat(result.reason()).isEqualTo("the output is not JSON");
  }

  // -------------------------------------------------------------------------------------------- numeric

  @Test
  void numeric_withinAnAbsoluteTolerance_passes_outsideItFails() {
    Map<String, Object> config = Map.of("tolerance", 0.5);

    assertThat(once.evaluate(call(EvaluatorKinds.NUMERIC, config, "About 41.6 degrees", Map.of("expected", 42)))
        .passed()).isTrue();
    assertThat(once.evaluate(call(EvaluatorKinds.NUMERIC, config, "41.4", Map.of("expected", 42))).passed())
        .isFalse();
  }

  @Test
  void numeric_withARelativeTolerance_scalesItByTheExpectedValue() {
    Map<String, Object> config = Map.of("tolerance", 0.1, "relative", true, "expected", 200);

    assertThat(once.evaluate(call(EvaluatorKinds.NUMERIC, config, 219, null)).passed()).isTrue();
    assertThat(once.evaluate(call(EvaluatorKinds.NUMERIC, config, 221, null)).passed()).isFalse();
  }

  @Test
  void numeric_withAnOutputHoldingNoNumber_fails() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.NUMERIC, Map.of(), "forty-two", Map.of("expected", 42)));

    assertThat(result.passed()).isFalse();
    assertThat(result.reason()).isEqualTo("the output holds no number");
  }

  // ------------------------------------------------------------------------------------------ llm_judge

  @Test
  void judge_sendsTheRubricExpectedAnswerAndOutput_andReadsScoreReasonUsageAndCost() {
    stub.enqueue(Reply.success("{\"score\": 8, \"reason\": \"names Paris\"}", 120, 12));

    EvalResult result = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, judge(), "Paris",
        Map.of("expected", "Paris")));

    assertThat(result.score()).isEqualTo(8.0);
    assertThat(result.passed()).isTrue();
    assertThat(result.reason()).isEqualTo("names Paris");
    assertThat(result.usage().promptTokens()).isEqualTo(120);
    assertThat(result.usage().completionTokens()).isEqualTo(12);
    assertThat(result.costUsd()).isPositive();
    String sent = stub.lastRequest().body();
    assertThat(sent).contains("The answer names the capital correctly.").contains("### Expected answer")
        .contains("### Output to evaluate").contains("0 to 10");
    assertThat(sent).contains(JudgePrompts.INSTRUCTION.substring(0, 30));
  }

  @Test
  void judge_replyWithProseAndFences_isParsedLeniently_andItsScoreClampedToTheRange() {
    stub.enqueue(Reply.success("Here you go:\n```json\n{\"score\": \"7.5\", \"reason\": \"close\"}\n```"));
    stub.enqueue(Reply.success("{\"score\": 12, \"reason\": \"great\"}"));

    EvalResult lenient = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, judge("pass_threshold", 8), "Paris", null));
    EvalResult clamped = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, judge("min", 1, "max", 5), "Paris", null));

    assertThat(lenient.score()).isEqualTo(7.5);
    assertThat(lenient.passed()).isFalse();
    assertThat(clamped.score()).isEqualTo(5.0);
  }

  @Test
  void judge_replyWithoutAScore_failsNonRetryablyWithItsType() {
    stub.enqueue(Reply.success("I think it is fine."));

    ApplicationFailure failure = failureOf(call(EvaluatorKinds.LLM_JUDGE, judge(), "Paris", null));

    assertThat(failure.getType()).isEqualTo(EvalFailures.JUDGE_NO_SCORE);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  /** One Evaluate activity with the production options, as the eval job schedules it. */
  @WorkflowInterface
  public interface EvaluateOnce {
    @WorkflowMethod
    EvalResult run(EvalCall call);
  }

  public static class EvaluateOnceImpl implements EvaluateOnce {
    @Override
    public EvalResult run(EvalCall call) {
      return Workflow.newActivityStub(EvalActivities.class, ActivityPolicies.EVAL).evaluate(call);
    }
  }

  @Test
  void judge_rateLimitedOnce_isRetriedByTemporal_andThenScores() {
    stub.enqueue(Reply.rateLimited(1), Reply.success("{\"score\": 9, \"reason\": \"ok\"}"));
    try (TestWorkflowEnvironment workflows = TestWorkflowEnvironment.newInstance()) {
      Worker worker = workflows.newWorker("evals");
      worker.registerWorkflowImplementationTypes(EvaluateOnceImpl.class);
      worker.registerActivitiesImplementations(activities);
      workflows.start();

      EvalResult result = workflows.getWorkflowClient().newWorkflowStub(EvaluateOnce.class,
              WorkflowOptions.newBuilder().setTaskQueue("evals").build())
          .run(call(EvaluatorKinds.LLM_JUDGE, judge(), "Paris", null));

      assertThat(result.score()).isEqualTo(9.0);
      assertThat(stub.requests()).hasSize(2);
    }
  }

  @Test
  void judge_rateLimited_failsRetryablyAsProviderUnavailable() {
    stub.enqueue(Reply.rateLimited(3));

    ApplicationFailure failure = failureOf(call(EvaluatorKinds.LLM_JUDGE, judge(), "Paris", null));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void judge_withABadKey_failsNonRetryablyAsProviderAuth() {
    stub.enqueue(Reply.error(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));

    ApplicationFailure failure = failureOf(call(EvaluatorKinds.LLM_JUDGE, judge(), "Paris", null));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void offlineJudge_scoresByTheExpectedAnswersWordsFoundInTheOutput() {
    Map<String, Object> offline = Map.of("rubric", "Names the capital and its river.", "min", 0, "max", 1);

    EvalResult full = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, offline, "Paris, on the Seine.",
        Map.of("expected", "Paris on the Seine")));
    EvalResult half = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, offline, "It is Paris.",
        Map.of("expected", "Paris on the Seine")));
    EvalResult again = once.evaluate(call(EvaluatorKinds.LLM_JUDGE, offline, "It is Paris.",
        Map.of("expected", "Paris on the Seine")));

    assertThat(full.score()).isEqualTo(1.0);
    assertThat(full.passed()).isTrue();
    assertThat(half.score()).isEqualTo(0.5);
    assertThat(half.reason()).contains("1 of 2").contains("seine");
    assertThat(again).usingRecursiveComparison().ignoringFields("durationMs").isEqualTo(half);
    assertThat(full.usage().totalTokens()).isPositive();
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void offlineJudge_withoutAnExpectedAnswer_comparesWithTheRubric() {
    EvalResult result = once.evaluate(call(EvaluatorKinds.LLM_JUDGE,
        Map.of("rubric", "Paris, France"), "Paris, France is lovely", null));

    assertThat(result.score()).isEqualTo(10.0);
    assertThat(result.reason()).contains("rubric");
  }

  @Test
  void flowEvaluators_areNotActivities() {
    ApplicationFailure failure = failureOf(call(EvaluatorKinds.FLOW, Map.of("flow", "grader"), "x", null));

    assertThat(failure.getType()).isEqualTo(EvalFailures.INVALID_EVALUATOR);
  }
}
