package io.durableflows.api.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 000's OpenAI SDK compatibility, driven by the official OpenAI Java SDK. */
class OpenAiCompatTest extends ApiTest {

  private OpenAIClient client(TestOrg org, String orgCode, String slug, String token) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(http.base() + "/api/llm/" + orgCode + "/flows/" + slug)
        .apiKey(token)
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams ask(String text) {
    return ChatCompletionCreateParams.builder()
        .model("durable-flow")
        .addSystemMessage("Be brief.")
        .addUserMessage("Earlier question")
        .addAssistantMessage("Earlier answer")
        .addUserMessage(text)
        .build();
  }

  @Test
  void officialClient_createsACompletionFromTheFlow() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    ChatCompletion completion = client(org, org.code(), "qa-openai", org.token())
        .chat().completions().create(ask("Summarize today's standup."));
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
        c -> assertThat(c).contains("Summarize today's standup."));
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
    assertThat(completion.id()).startsWith("flowrun_run_");
  }

  @Test
  void officialClient_worksWithAFlowWhoseOutputIsNotOpenAiShaped() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    ChatCompletion completion = client(org, org.code(), "qa-raw", org.token())
        .chat().completions().create(ask("What is Temporal?"));
    assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
        c -> assertThat(c).startsWith("Offline answer to \"What is Temporal?\""));
  }

  @Test
  void officialClient_withBadToken_getsUnauthorized() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    assertThatThrownBy(() -> client(org, org.code(), "qa-openai", "df_wrong").chat().completions().create(ask("hi")))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void officialClient_withUnknownFlow_getsNotFound() {
    TestOrg org = newOrg();
    assertThatThrownBy(() -> client(org, org.code(), "nope", org.token()).chat().completions().create(ask("hi")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void chatCompletions_withoutUserMessage_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/qa-openai/chat/completions", org.token(),
        Map.of("model", "x", "messages", List.of(Map.of("role", "system", "content", "hi"))));
    assertThat(r.status()).isEqualTo(400);
    Http.Response empty = http.post("/api/llm/" + org.code() + "/flows/qa-openai/chat/completions", org.token(),
        Map.of("model", "x", "messages", List.of()));
    assertThat(empty.status()).isEqualTo(400);
  }

  @Test
  void chatCompletions_withContentParts_usesTheirText() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/qa-openai/chat/completions", org.token(),
        Map.of("model", "x", "messages", List.of(Map.of("role", "user",
            "content", List.of(Map.of("type", "text", "text", "parts work"))))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("choices").get(0).path("message").path("content").asText()).contains("parts work");
  }

  @Test
  void chatCompletions_forAnotherOrg_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(other, "qa-openai");
    assertThatThrownBy(() -> client(org, other.code(), "qa-openai", org.token()).chat().completions().create(ask("hi")))
        .isInstanceOf(NotFoundException.class);
  }

  // ------------------------------------------------------------------------------------------------ streaming

  /** qa-openai served by the stub provider, so the model's tokens and timing are known. */
  private void createStubFlow(TestOrg org) {
    Map<String, Object> doc = example("qa-openai");
    doc.put("slug", "qa-stream");
    node(doc, "answer").put("provider", "stub");
    assertThat(http.post("/api/v1/flows", org.token(), doc).status()).isEqualTo(201);
  }

  @Test
  void officialClient_streamsChunksThatAccumulateToTheAnswer() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.streamed("Stand", "up ", "went ", "well.").withChunkDelay(java.time.Duration.ofMillis(30)));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream = client(org, org.code(), "qa-stream", org.token())
        .chat().completions().createStreaming(ask("Summarize today's standup."))) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        accumulator.accumulate(chunk);
      });
    }

    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content()).hasValue("Standup went well.");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(chunks.getFirst().choices().get(0).delta().role()).hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
    assertThat(chunks).allSatisfy(c -> assertThat(c.id()).startsWith("flowrun_run_"));
    assertThat(chunks.stream().filter(c -> !c.choices().isEmpty())
        .filter(c -> c.choices().get(0).delta().content().filter(t -> !t.isEmpty()).isPresent())).hasSizeGreaterThan(1);
  }

  @Test
  void officialClient_withIncludeUsage_getsAFinalUsageChunk() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.streamed("Counted.").withUsage(42, 7));
    ChatCompletionCreateParams params = ask("Count my tokens.").toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream = client(org, org.code(), "qa-stream", org.token())
        .chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }

    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).hasValueSatisfying(u -> {
      assertThat(u.promptTokens()).isEqualTo(42);
      assertThat(u.completionTokens()).isEqualTo(7);
      assertThat(u.totalTokens()).isEqualTo(49);
    });
  }

  @Test
  void officialClient_whenTheProviderFailsMidStream_raisesTheError() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.error(401));

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> stream = client(org, org.code(), "qa-stream", org.token())
          .chat().completions().createStreaming(ask("hi"))) {
        stream.stream().forEach(chunk -> { });
      }
    }).isInstanceOf(OpenAIException.class).hasMessageContaining("answer");
  }
}
