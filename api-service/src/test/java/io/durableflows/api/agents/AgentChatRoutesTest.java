package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/agent/{id}/chat}: a run of the agent's latest release. The two tests that read an answer need
 * the agent node's interpreter; the others hold whatever the agent node does.
 */
class AgentChatRoutesTest extends AgentApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  /** Needs the agent node's interpreter (the lead's): with the placeholder the run fails. */
  @Test
  void chat_withoutStream_answersContentWithTheOfflineModel() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    Http.Response r = http.post("/api/v1/agent/helper/chat", org.token(),
        Map.of("message", "Hello there", "conversation_id", "conv-1"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("content").asText()).isNotBlank();
    assertThat(r.json().path("id").asText()).startsWith("run_");
    assertThat(r.json().path("conversation_id").asText()).isEqualTo("conv-1");
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
    assertThat(r.json().path("steps").isArray()).isTrue();
    assertThat(r.json().path("usage").has("total_tokens")).isTrue();
  }

  /** Needs the agent node's interpreter (the lead's): with the placeholder the run ends failed. */
  @Test
  void chat_withStream_sendsTheNativeRunEventsUntilDone() throws Exception {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    try (StreamClient s = StreamClient.post(http.base() + "/api/v1/agent/helper/chat",
        Map.of("Authorization", "Bearer " + org.token()),
        Http.JSON.writeValueAsString(Map.of("message", "Hello there", "stream", true)))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).startsWith("text/event-stream");
      assertThat(s.header("X-Conversation-Id")).isNotBlank();
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events.getFirst().event()).isEqualTo("run_started");
      Sse done = events.getLast();
      assertThat(done.event()).isEqualTo("done");
      assertThat(json(done.data()).path("data").path("status").asText()).isEqualTo("completed");
      assertThat(json(done.data()).path("data").path("text").asText()).isNotBlank();
    }
  }

  @Test
  void chat_inTheBackground_answers202_passesTheConversationAsSession_andAKeyGivesTheSameRun() {
    TestOrg org = newOrg();
    createAgent(org, "helper");
    Map<String, Object> body = Map.of("messages", List.of(
        Map.of("role", "user", "content", "first"),
        Map.of("role", "assistant", "content", "ok"),
        Map.of("role", "user", "content", "second")), "conversation_id", "conv-42");
    Map<String, String> headers = Map.of("Prefer", "respond-async", "Idempotency-Key", "turn-1");

    Http.Response first = http.post("/api/v1/agent/helper/chat", org.token(), body, headers);
    Http.Response again = http.post("/api/v1/agent/helper/chat", org.token(), body, headers);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.json().path("conversation_id").asText()).isEqualTo("conv-42");
    String runId = first.json().path("run_id").asText();
    assertThat(again.json().path("run_id").asText()).isEqualTo(runId);
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("flow_session_id").asText()).isEqualTo("conv-42");
    assertThat(run.path("input").path("message").asText()).isEqualTo("second");
    assertThat(run.path("channel").asText()).isEqualTo("agent_api");
    assertThat(run.path("version").asText()).isEqualTo("1");
  }

  @Test
  void chat_withBadBody_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of()), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of("message", "")), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of("message", "hi", "stream", "yes")), 400,
        "invalid_request");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of("message", "hi", "conversation_id", 7)),
        400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(),
        Map.of("messages", List.of(Map.of("role", "assistant", "content", "no user")))), 400, "invalid_request");
    assertError(http.postRaw("/api/v1/agent/helper/chat", org.token(), "application/json", "{"), 400, "invalid_json");
    assertThat(http.get("/api/v1/runs?flow=helper", org.token()).json().path("data").size()).isZero();
  }

  @Test
  void chat_withoutRunsWriteScope_returns403() {
    TestOrg org = newOrg(List.of("flows:read", "flows:write", "runs:read"));
    createAgent(org, "helper");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of("message", "hi")), 403,
        "insufficient_scope");
  }
}
