package io.durableflows.api.completions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/llm/chat|autocomplete|recommend} over real HTTP. */
class LlmRoutesTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private StreamClient stream(TestOrg org, Object body, Map<String, String> extraHeaders) {
    try {
      Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
      headers.put("Authorization", "Bearer " + org.token());
      return StreamClient.post(http.base() + "/api/v1/llm/chat", headers, Http.JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void chat_withPrompt_answersJsonFromADurableRun() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/llm/chat", org.token(), Map.of("prompt", "Why is the sky blue?"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("content").asText()).contains("Why is the sky blue?");
    assertThat(r.json().path("usage").path("total_tokens").asLong()).isPositive();
    JsonNode run = http.get("/api/v1/runs/" + r.json().path("id").asText(), org.token()).json();
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("flow").asText()).isEqualTo("llm-chat");
  }

  @Test
  void chat_withMessagesAndSettings_sendsThemToTheProvider() {
    TestOrg org = newOrg();
    stub.enqueue(Reply.success("Paris."));

    Http.Response r = http.post("/api/v1/llm/chat", org.token(), Map.of("provider", "stub", "model", "gpt-4o",
        "temperature", 0.2, "max_tokens", 30, "messages", List.of(
            Map.of("role", "system", "content", "Answer in one word."),
            Map.of("role", "user", "content", "Capital of Italy?"),
            Map.of("role", "assistant", "content", "Rome."),
            Map.of("role", "user", "content", "And of France?"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("content").asText()).isEqualTo("Paris.");
    JsonNode sent = stub.lastRequest().json();
    assertThat(sent.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(30);
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Answer in one word.");
    assertThat(sent.path("messages").get(1).path("content").asText())
        .contains("user: Capital of Italy?").contains("assistant: Rome.").endsWith("user: And of France?");
  }

  @Test
  void chat_withStreamTrue_streamsTokenDeltasThenDone() {
    TestOrg org = newOrg();
    stub.enqueue(Reply.streamed("The ", "sky ", "is ", "blue.").withChunkDelay(Duration.ofMillis(150)));

    try (StreamClient s = stream(org, Map.of("prompt", "Sky?", "provider", "stub", "stream", true), Map.of())) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).startsWith("text/event-stream");
      assertThat(s.header("X-Run-Id")).startsWith("run_");
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      StringBuilder text = new StringBuilder();
      int deltas = 0;
      for (Sse e : events) {
        if ("message".equals(e.event())) {
          text.append(json(e.data()).path("data").path("text").asText());
          deltas++;
        }
      }
      assertThat(text.toString()).isEqualTo("The sky is blue.");
      assertThat(deltas).isGreaterThan(1);
      assertThat(events.getLast().event()).isEqualTo("done");
    }
  }

  @Test
  void chat_withAcceptEventStream_streamsTheOfflineAnswer() {
    TestOrg org = newOrg();

    try (StreamClient s = stream(org, Map.of("prompt", "Hello"), Map.of("Accept", "text/event-stream"))) {
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      assertThat(events).extracting(Sse::event).contains("run_started", "message", "done");
    }
  }

  @Test
  void chat_askingForAStreamWithABadBody_returns400Json() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/llm/chat", org.token(), Map.of("prompt", "Hi", "temperature", "hot"),
        Map.of("Accept", "text/event-stream"));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("temperature");
  }

  @Test
  void chat_ofAnotherOrg_cannotBeSeen() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String runId = http.post("/api/v1/llm/chat", org.token(), Map.of("prompt", "secret")).json().path("id").asText();

    assertError(http.get("/api/v1/runs/" + runId, other.token()), 404, "not_found");
    assertThat(http.get("/api/v1/runs?flow=llm-chat", other.token()).json().path("data")).isEmpty();
  }

  @Test
  void chat_withoutPromptOrMessages_returns400() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/llm/chat", org.token(), Map.of("model", "x")), 400, "invalid_request");
  }

  @Test
  void chat_withMessagesEndingWithTheAssistant_returns400() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/llm/chat", org.token(), Map.of("messages",
        List.of(Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello")))),
        400, "invalid_request");
  }

  @Test
  void chat_withTemperatureOutOfRange_returns400AndStartsNoRun() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/llm/chat", org.token(), Map.of("prompt", "Hi", "temperature", 5)), 400,
        "invalid_request");
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void autocomplete_suggestsCompletionsOfTheText() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/llm/autocomplete", org.token(), Map.of("text", "How do I res", "count", 2));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("suggestions")).hasSize(2);
    r.json().path("suggestions").forEach(s -> assertThat(s.asText()).startsWith("How do I res"));
  }

  @Test
  void autocomplete_withCandidates_prefersThem() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/llm/autocomplete", org.token(),
        Map.of("prefix", "Where is my ", "candidates", List.of("Where is my order", "Who are you"), "count", 1));

    assertThat(r.json().path("suggestions").get(0).asText()).as(r.body()).isEqualTo("Where is my order");
  }

  @Test
  void autocomplete_withoutText_returns400() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/llm/autocomplete", org.token(), Map.of("count", 2)), 400, "invalid_request");
  }

  @Test
  void recommend_ranksTheCandidates() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/llm/recommend", org.token(), Map.of("text", "I love hiking in the hills",
        "candidates", List.of("Cookbook", "Hiking boots", "Hill walking maps"), "count", 2));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("recommendations").get(0).asText()).isEqualTo("Hiking boots");
    assertThat(r.json().path("recommendations")).hasSize(2);
  }

  @Test
  void recommend_withBadCount_returns400() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/llm/recommend", org.token(), Map.of("text", "x", "count", 0)), 400,
        "invalid_options");
  }
}
