package io.durableflows.activities.completions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.ProviderSettings;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.llm.LlmFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner against a local server speaking OpenAI's chat-completions protocol, through langchain4j. */
class CompletionRunnerProviderTest {
  private final OpenAiStubServer stub = OpenAiStubServer.start();
  private final CompletionRunner runner = new CompletionRunner(new ModelProviders(List.of(new ProviderSettings(
      "stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini", Duration.ofSeconds(5))), "stub"));

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private CompletionResult run(String operation, Map<String, Object> options, Object item) {
    return runner.run(new CompletionCall("key-1", "acme", operation, options, item, null, null));
  }

  @Test
  void label_sendsTheCategoriesAndReadsTheModelsJsonAnswer() {
    stub.enqueue(Reply.success("```json\n{\"label\": \"Refund\"}\n```", 30, 5));

    CompletionResult result = run(CompletionOperations.LABEL, Map.of("categories", List.of("billing", "refund")),
        "Money back please");

    assertThat(result.output()).isEqualTo(Map.of("label", "refund"));
    assertThat(result.usage().promptTokens()).isEqualTo(30);
    assertThat(stub.lastRequest().json().path("messages").get(0).path("content").asText())
        .contains("\"categories\":[\"billing\",\"refund\"]");
    assertThat(stub.lastRequest().json().path("messages").get(1).path("content").asText())
        .isEqualTo("Money back please");
  }

  @Test
  void label_answeredWithAnUnknownCategory_isThatItemsInvalidOutputWithItsUsage() {
    stub.enqueue(Reply.success("{\"label\": \"complaint\"}", 30, 5));

    CompletionResult result = run(CompletionOperations.LABEL, Map.of("categories", List.of("billing", "refund")),
        "Money back please");

    assertThat(result.error()).isEqualTo(CompletionFailures.INVALID_OUTPUT);
    assertThat(result.message()).contains("complaint");
    assertThat(result.usage().completionTokens()).isEqualTo(5);
  }

  @Test
  void extract_answerNotMatchingTheSchema_isThatItemsSchemaMismatch() {
    stub.enqueue(Reply.success("{\"age\": \"thirty-six\"}"));
    Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("age", Map.of("type", "integer")));

    CompletionResult result = run(CompletionOperations.EXTRACT, Map.of("schema", schema), "Ada is 36");

    assertThat(result.error()).isEqualTo(CompletionFailures.SCHEMA_MISMATCH);
  }

  @Test
  void chat_passesTemperatureAndMaxTokens() {
    stub.enqueue(Reply.success("Bonjour"));

    CompletionResult result = run(CompletionOperations.CHAT, Map.of("temperature", 0.3, "max_tokens", 20), "Hello");

    assertThat(result.output()).isEqualTo("Bonjour");
    assertThat(stub.lastRequest().json().path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(stub.lastRequest().json().path("max_tokens").asInt()).isEqualTo(20);
  }

  @Test
  void provider400_isThrownAsANonRetryableRejection() {
    stub.enqueue(Reply.error(400));

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> run(CompletionOperations.SUMMARIZE, Map.of(), "Some text"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_REJECTED);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void provider429_isThrownRetryableWithItsRetryAfter() {
    stub.enqueue(Reply.rateLimited(2));

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> run(CompletionOperations.SUMMARIZE, Map.of(), "Some text"));

    assertThat(failure.getType()).isEqualTo(LlmFailures.PROVIDER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(2));
  }
}
