package io.durableflows.api.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import io.durableflows.workflows.catalog.ModelCatalog;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 003: the integrator chat endpoint, its keys, its SSE events and the FLOW credit ledger. */
class AgentChatTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** qa-raw served by the stub provider, published so it is an agent; with a messages input for history. */
  private void publishAgent(TestOrg org, String slug) {
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", slug);
    node(doc, "answer").put("provider", "stub");
    node(doc, "answer").put("prompt", "{{input.question}} | history: {{input.messages}}");
    @SuppressWarnings("unchecked")
    List<Object> variables = new java.util.ArrayList<>((List<Object>) node(doc, "input").get("variables"));
    variables.add(Map.of("name", "messages", "type", "array", "required", false));
    node(doc, "input").put("variables", variables);
    Http.Response created = http.post("/api/v1/flows", org.token(), doc);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Http.Response published = http.post("/api/v1/flows/" + slug + "/releases", org.token(), Map.of());
    assertThat(published.status()).as(published.body()).isEqualTo(201);
  }

  private StreamClient chat(Map<String, String> headers, String slug, Object body) {
    try {
      return StreamClient.post(http.base() + "/agents/" + slug + "/chat", headers, Http.JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private StreamClient chat(TestOrg org, String slug, Object body) {
    return chat(Map.of("x-api-key", org.token()), slug, body);
  }

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  private static JsonNode body(StreamClient s) {
    return json(String.join("\n", StreamClient.texts(s.rest(WAIT))));
  }

  private JsonNode credits(TestOrg org) {
    return http.get("/api/v1/credits", org.token()).json();
  }

  private void topUp(TestOrg org, String amount) {
    assertThat(http.post("/admin/v1/orgs/" + org.code() + "/credits", ADMIN_TOKEN, Map.of("amount", new BigDecimal(amount)))
        .status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------- streaming

  @Test
  void chat_streamsStatusMessagesDoneAndFlowMeta() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.streamed("Hello ", "from ", "the ", "agent.").withChunkDelay(Duration.ofMillis(30)));

    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi!"))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).startsWith("text/event-stream");
      assertThat(s.header("x-flow-balance")).isEqualTo("10");
      assertThat(s.header("x-flow-precharge")).isEqualTo("0.5");
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      assertThat(events.getFirst().event()).isEqualTo("status");
      assertThat(json(events.getFirst().data()).path("state").asText()).isEqualTo("thinking");
      String text = events.stream().filter(e -> e.event().equals("message"))
          .map(e -> json(e.data()).asText()).reduce("", String::concat);
      assertThat(text).isEqualTo("Hello from the agent.");
      Sse done = events.get(events.size() - 2);
      assertThat(done.event()).isEqualTo("done");
      assertThat(json(done.data()).path("text").asText()).isEqualTo("Hello from the agent.");
      assertThat(json(done.data()).path("tools").isArray()).isTrue();
      assertThat(events.getLast().event()).isEqualTo("flow_meta");
      assertThat(json(events.getLast().data()).path("balance_remaining").asText())
          .isEqualTo(credits(org).path("balance").asText());
    }
  }

  @Test
  void chat_withStreamFalse_returnsOneJsonBody() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("Buffered answer."));

    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi!", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("x-flow-precharge")).isEqualTo("0.5");
      JsonNode b = body(s);
      assertThat(b.path("content").asText()).isEqualTo("Buffered answer.");
      assertThat(b.path("tools").isArray()).isTrue();
      assertThat(b.path("flow_balance_remaining").asText()).isEqualTo(credits(org).path("balance").asText());
    }
  }

  @Test
  void chat_withOpenAiMessages_usesTheLastUserMessage() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("ok"));
    Map<String, Object> body = Map.of("stream", false, "messages", List.of(
        Map.of("role", "user", "content", "first question"),
        Map.of("role", "assistant", "content", "first answer"),
        Map.of("role", "user", "content", "What's the weather in London?")));

    try (StreamClient s = chat(org, "helper", body)) {
      assertThat(s.status()).isEqualTo(200);
    }
    String prompt = stub.lastRequest().json().path("messages").get(1).path("content").asText();
    assertThat(prompt).startsWith("What's the weather in London?");
    assertThat(prompt).doesNotContain("first question");
  }

  @Test
  void chat_keepsHistoryPerCallerAndAgent() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("Nice to meet you, Ada."), Reply.success("You are Ada."), Reply.success("Who?"));

    try (StreamClient s = chat(org, "helper", Map.of("text", "My name is Ada.", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    try (StreamClient s = chat(org, "helper", Map.of("text", "What is my name?", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    String second = stub.lastRequest().json().path("messages").get(1).path("content").asText();
    assertThat(second).contains("My name is Ada.").contains("Nice to meet you, Ada.");

    String otherKey = http.post("/me/api-keys", org.token(), Map.of("name", "other")).json().path("key").asText();
    try (StreamClient s = chat(Map.of("x-api-key", otherKey), "helper", Map.of("text", "Hi", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    assertThat(stub.lastRequest().json().path("messages").get(1).path("content").asText()).doesNotContain("Ada");
  }

  // ------------------------------------------------------------------------------------------------- auth

  @Test
  void chat_acceptsBearerAndSessionCookie() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("a"), Reply.success("b"));
    try (StreamClient s = chat(Map.of("Authorization", "Bearer " + org.token()), "helper",
        Map.of("text", "Hi", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    try (StreamClient s = chat(Map.of("Cookie", "af_session=" + org.token()), "helper",
        Map.of("text", "Hi", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
  }

  @Test
  void chat_withUnknownKey_returns401InvalidApiKey() {
    try (StreamClient s = chat(Map.of("x-api-key", "af_live_nope"), "helper", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(401);
      assertThat(body(s).path("error").asText()).isEqualTo("invalid_api_key");
    }
  }

  @Test
  void chat_withNoCredentials_returns401InvalidApiKey() {
    try (StreamClient s = chat(Map.of(), "helper", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(401);
      assertThat(body(s).path("error").asText()).isEqualTo("invalid_api_key");
    }
  }

  @Test
  void mintKey_returnsAnAfLiveKeyOnceThatAuthenticates() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("hi"));
    Http.Response minted = http.postWithAuthorization("/me/api-keys", null, Map.of("name", "my-bot"));
    assertThat(minted.status()).isEqualTo(401);

    try (StreamClient s = StreamClient.post(http.base() + "/me/api-keys", Map.of("Cookie", "af_session=" + org.token()),
        "{\"name\":\"my-bot\"}")) {
      assertThat(s.status()).isEqualTo(201);
      JsonNode key = body(s);
      assertThat(key.path("key").asText()).startsWith("af_live_");
      try (StreamClient chat = chat(Map.of("x-api-key", key.path("key").asText()), "helper",
          Map.of("text", "Hi", "stream", false))) {
        assertThat(chat.status()).isEqualTo(200);
      }
      String listed = http.get("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN).body();
      assertThat(listed).contains("my-bot").doesNotContain(key.path("key").asText());
    }
  }

  @Test
  void mintKey_withoutName_returns400() {
    TestOrg org = newOrg();
    Http.Response r = http.post("/me/api-keys", org.token(), Map.of());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
  }

  // ------------------------------------------------------------------------------------------ not found, gone

  @Test
  void chat_withUnknownSlug_returns404NotFound() {
    TestOrg org = newOrg();
    try (StreamClient s = chat(org, "nobody", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(404);
      assertThat(body(s).path("error").asText()).isEqualTo("not_found");
    }
  }

  @Test
  void chat_withAnotherOrgsAgent_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    publishAgent(org, "helper");
    try (StreamClient s = chat(other, "helper", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(404);
    }
  }

  @Test
  void chat_withUnpublishedFlow_returns404() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    try (StreamClient s = chat(org, "qa-raw", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(404);
      assertThat(body(s).path("message").asText()).contains("publish");
    }
  }

  @Test
  void chat_afterTheAgentWasDeleted_returns410Tombstoned() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    assertThat(http.delete("/api/v1/flows/helper", org.token()).status()).isEqualTo(204);
    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi"))) {
      assertThat(s.status()).isEqualTo(410);
      assertThat(body(s).path("error").asText()).isEqualTo("agent_tombstoned");
    }
  }

  @Test
  void chat_withBadBody_returns400AndHoldsNothing() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    try (StreamClient s = chat(org, "helper", Map.of("stream", "yes", "text", "Hi"))) {
      assertThat(s.status()).isEqualTo(400);
    }
    try (StreamClient s = chat(org, "helper", Map.of("messages", List.of()))) {
      assertThat(s.status()).isEqualTo(400);
    }
    assertThat(credits(org).path("ledger")).extracting(n -> n.path("kind").asText()).containsExactly("grant");
  }

  // --------------------------------------------------------------------------------------------------- ledger

  @Test
  void chat_withBalanceBelowPrecharge_returns402AndStartsNothing() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("spent", 25_000_000, 10_000_000));
    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    String balance = credits(org).path("balance").asText();
    assertThat(new BigDecimal(balance)).isLessThan(new BigDecimal("0.5"));
    int runsBefore = http.get("/api/v1/runs", org.token()).json().path("data").size();

    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi again"))) {
      assertThat(s.status()).isEqualTo(402);
      JsonNode b = body(s);
      assertThat(b.path("error").asText()).isEqualTo("insufficient_flow");
      assertThat(b.path("balance").asText()).isEqualTo(balance);
      assertThat(b.path("topup_url").asText()).isNotBlank();
    }
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data").size()).isEqualTo(runsBefore);
    assertThat(credits(org).path("balance").asText()).isEqualTo(balance);
  }

  @Test
  void chat_settlesTheHoldToTheRunsRealCost() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.success("Priced answer.", 1000, 500));

    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi", "stream", false))) {
      assertThat(s.status()).isEqualTo(200);
    }
    double cost = ModelCatalog.find("openai", "gpt-4o-mini").orElseThrow().cost(1000, 500);
    JsonNode credits = credits(org);
    List<String> kinds = new java.util.ArrayList<>();
    credits.path("ledger").forEach(n -> kinds.add(n.path("kind").asText()));
    assertThat(kinds).containsExactly("charge", "release", "hold", "grant");
    Map<String, BigDecimal> amounts = new HashMap<>();
    credits.path("ledger").forEach(n -> amounts.put(n.path("kind").asText(), new BigDecimal(n.path("amount").asText())));
    assertThat(amounts.get("hold")).isEqualByComparingTo("-0.5");
    assertThat(amounts.get("release")).isEqualByComparingTo("0.5");
    assertThat(amounts.get("charge").doubleValue()).isEqualTo(-cost, within(1e-8));
    assertThat(new BigDecimal(credits.path("balance").asText()).doubleValue())
        .isEqualTo(10 - cost, within(1e-8));
  }

  @Test
  void chat_whenTheRunFails_releasesTheHoldAndChargesNothing() {
    TestOrg org = newOrg();
    publishAgent(org, "helper");
    stub.enqueue(Reply.error(401));

    try (StreamClient s = chat(org, "helper", Map.of("text", "Hi"))) {
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events).extracting(Sse::event).endsWith("error", "flow_meta");
      assertThat(json(events.getLast().data()).path("balance_remaining").asText()).isEqualTo("10");
    }
    List<String> kinds = new java.util.ArrayList<>();
    credits(org).path("ledger").forEach(n -> kinds.add(n.path("kind").asText()));
    assertThat(kinds).containsExactly("release", "hold", "grant");
  }

  @Test
  void topUp_addsToTheBalanceWithALedgerRow() {
    TestOrg org = newOrg();
    topUp(org, "2.5");
    JsonNode credits = credits(org);
    assertThat(credits.path("balance").asText()).isEqualTo("12.5");
    assertThat(credits.path("ledger").get(0).path("kind").asText()).isEqualTo("topup");
  }

  @Test
  void topUp_ofUnknownOrg_returns404() {
    Http.Response r = http.post("/admin/v1/orgs/no-such-org/credits", ADMIN_TOKEN, Map.of("amount", 5));
    assertThat(r.status()).isEqualTo(404);
  }

  @Test
  void topUp_withoutAmount_returns400AndChangesNothing() {
    TestOrg org = newOrg();
    Http.Response r = http.post("/admin/v1/orgs/" + org.code() + "/credits", ADMIN_TOKEN, Map.of("note", "gift"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(credits(org).path("balance").asText()).isEqualTo("10");
  }

  @Test
  void credits_withBadLimit_returns400() {
    TestOrg org = newOrg();
    assertThat(http.get("/api/v1/credits?limit=0", org.token()).status()).isEqualTo(400);
  }

  @Test
  void topUp_withNegativeAmount_returns400() {
    TestOrg org = newOrg();
    Http.Response r = http.post("/admin/v1/orgs/" + org.code() + "/credits", ADMIN_TOKEN, Map.of("amount", -1));
    assertThat(r.status()).isEqualTo(400);
    assertThat(credits(org).path("balance").asText()).isEqualTo("10");
  }
}
