package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.RecordedRequest;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LlmActivitiesImpl} against a local server speaking the OpenAI chat-completions protocol: the real
 * langchain4j OpenAI model and our HTTP client, over real HTTP, with no network and no key.
 */
class LlmActivitiesImplTest {
  private static final String API_KEY = "sk-test";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final List<TestActivityEnvironment> environments = new ArrayList<>();
  private final RecordingSink sink = new RecordingSink();
  private OpenAiStubServer stub;
  private LlmActivities activities;

  @BeforeEach
  void setUp() {
    stub = OpenAiStubServer.start();
    activities = activitiesFor(stub.baseUrl(), "stub");
  }

  @AfterEach
  void tearDown() {
    environments.forEach(TestActivityEnvironment::close);
    stub.close();
  }

  /** The activity as Temporal runs it (context, heartbeats), once, with Temporal's retries out of the way. */
  private LlmActivities activitiesFor(String baseUrl, String defaultProvider) {
    var settings = new ProviderSettings("stub", "openai", baseUrl, API_KEY, "gpt-4o-mini", TIMEOUT);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    environments.add(env);
    env.registerActivitiesImplementations(new LlmActivitiesImpl(
        new ModelProviders(List.of(settings), defaultProvider, Duration.ofMillis(5)), sink,
        new StreamSettings(Duration.ofMillis(100), Duration.ofSeconds(5)), CallJournal.NONE));
    return env.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  private static LlmCall stubCall(String prompt) {
    return new LlmCall("run-1", "node-1", "stub", null, "You are terse.", prompt, 0.2, 64, false);
  }

  private static LlmCall streamedCall(String provider, String prompt) {
    return new LlmCall("run-1", "node-1", provider, null, null, prompt, null, null, true);
  }

  private ApplicationFailure failureOf(LlmCall call) {
    return failureOf(activities, call);
  }

  private static ApplicationFailure failureOf(LlmActivities activities, LlmCall call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> activities.complete(call));
    assertThat(failure).as("complete(...) should fail").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failure.getCause();
  }

  /** Collects the delta batches the activity signals, as the run workflow would receive them. */
  static final class RecordingSink implements DeltaSink {
    final List<DeltaBatch> batches = new CopyOnWriteArrayList<>();
    final List<Long> sentAt = new CopyOnWriteArrayList<>();

    @Override
    public void send(String workflowId, DeltaBatch batch) {
      batches.add(batch);
      sentAt.add(System.nanoTime());
    }

    String text() {
      return batches.stream().map(DeltaBatch::text).reduce("", String::concat);
    }
  }

  // ----------------------------------------------------------------------------------------- streaming

  @Test
  void complete_streamed_sendsEveryDeltaToTheRunInOrderAndReturnsTheWholeText() {
    stub.enqueue(Reply.streamed("Paris ", "is ", "the ", "capital.").withChunkDelay(Duration.ofMillis(30)));

    LlmReply reply = activities.complete(streamedCall("stub", "Capital of France?"));

    assertThat(reply.text()).isEqualTo("Paris is the capital.");
    assertThat(sink.text()).isEqualTo("Paris is the capital.");
    assertThat(sink.batches).extracting(DeltaBatch::batch)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, sink.batches.size()).boxed().toList());
    assertThat(sink.batches).allSatisfy(b -> assertThat(b.nodeId()).isEqualTo("node-1"));
  }

  @Test
  void complete_streamed_sendsTheFirstDeltaAloneThenBatchesTheRest() {
    String[] words = new String[40];
    for (int i = 0; i < words.length; i++) words[i] = "w" + i + " ";
    stub.enqueue(Reply.streamed(words).withChunkDelay(Duration.ofMillis(10)));

    activities.complete(streamedCall("stub", "Count"));

    assertThat(sink.batches.getFirst().text()).isEqualTo("w0 ");
    // 40 deltas 10 ms apart flushed every 100 ms: a handful of batches, not one signal per delta.
    assertThat(sink.batches.size()).isBetween(2, 12);
    assertThat(sink.text()).isEqualTo(String.join("", words));
  }

  @Test
  void complete_streamed_asksTheProviderToStream() {
    stub.enqueue(Reply.streamed("ok"));

    activities.complete(streamedCall("stub", "Hi"));

    assertThat(stub.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void complete_notStreamed_sendsNoDeltas() {
    stub.enqueue(Reply.success("Paris."));

    activities.complete(stubCall("Capital of France?"));

    assertThat(sink.batches).isEmpty();
    assertThat(stub.lastRequest().json().path("stream").asBoolean(false)).isFalse();
  }

  @Test
  void complete_streamedRateLimited_failsRetryablyWithRetryAfterAsNextDelay() {
    stub.enqueue(Reply.rateLimited(7));

    ApplicationFailure failure = failureOf(streamedCall("stub", "Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void complete_streamedUnauthorized_failsNonRetryably() {
    stub.enqueue(Reply.error(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));

    ApplicationFailure failure = failureOf(streamedCall("stub", "Hi"));

    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void complete_offlineStreamed_sendsTheOfflineAnswerWordByWord() {
    LlmReply reply = activities.complete(streamedCall("offline", "Hi"));

    assertThat(sink.text()).isEqualTo(reply.text());
    assertThat(sink.batches.size()).isGreaterThan(1);
  }

  // ------------------------------------------------------------------------------------------- success

  @Test
  void complete_withProviderSuccess_returnsTextUsageAndCatalogCost() {
    stub.enqueue(Reply.success("Paris is the capital of France.", 120, 8));

    LlmReply reply = activities.complete(stubCall("What is the capital of France?"));

    assertThat(reply.text()).isEqualTo("Paris is the capital of France.");
    assertThat(reply.provider()).isEqualTo("stub");
    assertThat(reply.model()).isEqualTo("gpt-4o-mini");
    assertThat(reply.finishReason()).isEqualTo("stop");
    assertThat(reply.usage().promptTokens()).isEqualTo(120);
    assertThat(reply.usage().completionTokens()).isEqualTo(8);
    double expected = ModelCatalog.find("openai", "gpt-4o-mini").orElseThrow().cost(120, 8);
    assertThat(expected).isPositive();
    assertThat(reply.costUsd()).isCloseTo(expected, within(1e-12));
    assertThat(reply.costUsd()).isCloseTo((120 * 0.15 + 8 * 0.60) / 1_000_000d, within(1e-12));
    assertThat(reply.durationMs()).isNotNegative();
  }

  @Test
  void complete_sendsModelTemperatureMaxTokensAndBearerKey() {
    activities.complete(stubCall("Hello"));

    assertThat(stub.requests()).hasSize(1);
    RecordedRequest request = stub.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(request.header("Content-Type")).startsWith("application/json");
    JsonNode body = request.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("max_tokens").asInt()).as("max_tokens in %s", body).isEqualTo(64);
    assertThat(body.path("stream").asBoolean(false)).isFalse();
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(messages.get(0).path("content").asText()).isEqualTo("You are terse.");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).path("content").asText()).isEqualTo("Hello");
  }

  @Test
  void complete_withExplicitModel_requestsAndPricesThatModel() {
    stub.enqueue(Reply.success("ok", 1000, 100));

    LlmReply reply = activities.complete(
        new LlmCall("run-1", "node-1", "stub", "gpt-4o", null, "Hi", null, null, false));

    JsonNode body = stub.lastRequest().json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(body.path("messages")).hasSize(1);
    assertThat(reply.model()).isEqualTo("gpt-4o");
    assertThat(reply.costUsd()).isCloseTo((1000 * 2.50 + 100 * 10.00) / 1_000_000d, within(1e-12));
  }

  @Test
  void complete_withNullProvider_usesConfiguredDefaultProvider() {
    LlmActivities defaultsToStub = activitiesFor(stub.baseUrl(), "stub");

    LlmReply reply = defaultsToStub.complete(new LlmCall("run-1", "node-1", null, null, null, "ping", null, null, false));

    assertThat(reply.provider()).isEqualTo("stub");
    assertThat(reply.text()).isEqualTo("Echo: ping");
    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void complete_withLengthFinish_reportsLength() {
    stub.enqueue(Reply.success("cut", 5, 64).withFinishReason("length"));

    LlmReply reply = activities.complete(stubCall("Write a long essay"));

    assertThat(reply.finishReason()).isEqualTo("length");
  }

  // ------------------------------------------------------------------------------------------- 4xx: non-retryable

  @Test
  void complete_withProvider401_failsNonRetryableAuth() {
    stub.enqueue(Reply.error(401));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("401").contains("stub").contains("gpt-4o-mini");
  }

  @Test
  void complete_withProvider403_failsNonRetryableAuth() {
    stub.enqueue(Reply.error(403));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("403");
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 404, 422})
  void complete_withProviderRejection_failsNonRetryableRejected(int status) {
    stub.enqueue(Reply.error(status));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_REJECTED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(Integer.toString(status));
  }

  @Test
  void complete_withProvider404_keepsProviderErrorMessage() {
    stub.enqueue(Reply.error(404, "The model `gpt-nope` does not exist or you do not have access to it.",
        "invalid_request_error", "model_not_found"));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getOriginalMessage()).contains("The model `gpt-nope` does not exist");
  }

  // ------------------------------------------------------------------------------------------- retryable

  @Test
  void complete_withProvider429AndRetryAfter_failsRetryableWithThatDelay() {
    stub.enqueue(Reply.rateLimited(3));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void complete_withProvider429AndHttpDateRetryAfter_failsRetryableWithDelayUntilThatDate() {
    String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    stub.enqueue(Reply.error(429).withHeader("Retry-After", inTenSeconds));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(10));
  }

  @Test
  void complete_withProvider429WithoutRetryAfter_failsRetryableWithPolicyBackoff() {
    stub.enqueue(Reply.error(429));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isNull();
  }

  @Test
  void complete_withProvider408_failsRetryable() {
    stub.enqueue(Reply.error(408, "Request timed out.", "server_error", "timeout"));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {500, 502, 503})
  void complete_withProvider5xx_failsRetryableUnavailable(int status) {
    stub.enqueue(Reply.error(status));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains(Integer.toString(status));
  }

  @Test
  void complete_withProvider503_makesSingleAttemptSoTemporalOwnsRetries() {
    stub.enqueue(Reply.error(503), Reply.error(503), Reply.error(503));

    failureOf(stubCall("Hi"));

    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void complete_withResponseSlowerThanTimeout_failsRetryableUnavailable() {
    stub.enqueue(Reply.success("too late").withDelay(Duration.ofSeconds(10)));

    long started = System.nanoTime();
    ApplicationFailure failure = failureOf(stubCall("Hi"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void complete_withConnectionRefused_failsRetryableUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    LlmActivities unreachable = activitiesFor("http://127.0.0.1:" + closedPort + "/v1", "stub");

    ApplicationFailure failure = failureOf(unreachable, stubCall("Hi"));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void complete_withMalformedSuccessBody_failsRetryableUnavailable() {
    stub.enqueue(Reply.raw(200, "<html>502 Bad Gateway</html>"));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  // ------------------------------------------------------------------------------------------- configuration

  @Test
  void complete_withUnknownProvider_failsNonRetryableInvalidConfiguration() {
    ApplicationFailure failure = failureOf(
        new LlmCall("run-1", "node-1", "no-such-provider", null, null, "Hi", null, null, false));

    assertThat(failure.getType()).isEqualTo(LlmFailures.INVALID_CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("no-such-provider");
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void complete_withOfflineProviderAndOtherModel_failsNonRetryableInvalidConfiguration() {
    ApplicationFailure failure = failureOf(
        new LlmCall("run-1", "node-1", "offline", "gpt-4o-mini", null, "Hi", null, null, false));

    assertThat(failure.getType()).isEqualTo(LlmFailures.INVALID_CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  // ------------------------------------------------------------------------------------------- offline

  @Test
  void complete_withOfflineDefault_answersDeterministicallyWithUsageAndNoCost() {
    LlmActivities offline = activitiesFor(stub.baseUrl(), null); // default provider: offline
    LlmCall call = new LlmCall("run-1", "node-1", null, null, "Be brief.", "Summarise durable execution.", null, null,
        false);

    LlmReply first = offline.complete(call);
    LlmReply second = offline.complete(call);

    assertThat(first.text()).isNotBlank().contains("Summarise durable execution.");
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(first.provider()).isEqualTo(ModelCatalog.OFFLINE_PROVIDER);
    assertThat(first.model()).isEqualTo(ModelCatalog.OFFLINE_MODEL);
    assertThat(first.usage().promptTokens()).isPositive();
    assertThat(first.usage().completionTokens()).isPositive();
    assertThat(second.usage()).isEqualTo(first.usage());
    assertThat(first.costUsd()).isZero();
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void complete_withExplicitOfflineProvider_answersWithoutNetwork() {
    LlmReply reply = activities.complete(new LlmCall("run-1", "node-1", "offline", null, null, "Hi", null, null, false));

    assertThat(reply.provider()).isEqualTo("offline");
    assertThat(reply.text()).isNotBlank();
    assertThat(reply.costUsd()).isZero();
    assertThat(stub.requests()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------- secrets

  @Test
  void complete_withProviderError_neverPutsApiKeyInFailureMessage() {
    stub.enqueue(Reply.error(500));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertNoApiKey(failure);
  }

  @Test
  void complete_withProviderEchoingApiKey_redactsItFromFailureMessage() {
    // OpenAI (and compatible servers) echo a short invalid key back in the 401 body.
    stub.enqueue(Reply.error(401, "Incorrect API key provided: " + API_KEY + ". You can find your API key at "
        + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));

    ApplicationFailure failure = failureOf(stubCall("Hi"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_AUTH);
    assertThat(failure.getOriginalMessage()).contains("Incorrect API key provided");
    assertNoApiKey(failure);
  }

  @Test
  void complete_withTimeout_neverPutsApiKeyInFailureMessage() {
    stub.enqueue(Reply.success("late").withDelay(Duration.ofSeconds(10)));

    assertNoApiKey(failureOf(stubCall("Hi")));
  }

  private static void assertNoApiKey(ApplicationFailure failure) {
    assertThat(failure.getMessage()).doesNotContain(API_KEY);
    assertThat(failure.getOriginalMessage()).doesNotContain(API_KEY);
    assertThat(failure.toString()).doesNotContain(API_KEY);
    for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
    }
  }

  @Test
  void providers_withUnknownKind_areRejectedAtStartup() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelProviders(
            java.util.List.of(new ProviderSettings("x", "grpc", "http://127.0.0.1:1", "k", "m", null)), "offline"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'");
  }
}
