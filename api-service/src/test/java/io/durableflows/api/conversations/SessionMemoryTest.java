package io.durableflows.api.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 001's flow_session_id: a run's turn lands in the session's conversation, and memory nodes read it back. */
class SessionMemoryTest extends RunApiTest {

  /** chat-memory (input -> memory -> reply -> output) with the reply answered by the stub. */
  private void chatFlow(TestOrg org, Map<String, Object> memoryData) {
    Map<String, Object> doc = example("chat-memory");
    node(doc, "reply").put("provider", "stub");
    Map<String, Object> memory = node(doc, "memory");
    memory.clear();
    memory.putAll(memoryData);
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private Http.Response say(TestOrg org, String session, String message) {
    Http.Response r = http.postWithAuthorization(flowRequestPath(org, "chat-memory"), org.token(),
        Map.of("body", Map.of("message", message), "options", Map.of("flow_session_id", session)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r;
  }

  /** What the stub received as {@code messages}: (role, content) pairs. */
  private static List<List<String>> messages(OpenAiStubServer.RecordedRequest request) {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode m : request.json().path("messages")) out.add(List.of(m.path("role").asText(), m.path("content").asText()));
    return out;
  }

  @Test
  void secondRun_inSession_sendsTheFirstTurnAsHistoryBeforeThePrompt() {
    TestOrg org = newOrg();
    chatFlow(org, Map.of("window", 10));
    stub.enqueue(OpenAiStubServer.Reply.success("Nice to meet you, Ada."), OpenAiStubServer.Reply.success("Ada."));

    JsonNode first = say(org, "sess-ada", "My name is Ada.").json();
    say(org, "sess-ada", "What is my name?");

    assertThat(stub.requests()).hasSize(2);
    assertThat(messages(stub.requests().get(0))).containsExactly(
        List.of("system", "You are a helpful assistant. Use the conversation so far."),
        List.of("user", "My name is Ada."));
    assertThat(messages(stub.requests().get(1))).containsExactly(
        List.of("system", "You are a helpful assistant. Use the conversation so far."),
        List.of("user", "My name is Ada."),
        List.of("assistant", "Nice to meet you, Ada."),
        List.of("user", "What is my name?"));
    JsonNode conversation = http.get("/api/v1/conversations/sess-ada", org.token()).json();
    assertThat(conversation.path("message_count").asInt()).isEqualTo(4);
    assertThat(conversation.path("flow").asText()).isEqualTo("chat-memory");
    JsonNode stored = http.get("/api/v1/conversations/sess-ada/messages", org.token()).json().path("data");
    assertThat(stored.get(0).path("id").asText()).isEqualTo(first.path("userMessage").path("id").asText());
    assertThat(stored.get(1).path("id").asText()).isEqualTo(first.path("aiMessage").path("id").asText());
    assertThat(stored.get(1).path("run_id").asText()).isEqualTo(first.path("id").asText());
  }

  @Test
  void runs_inDifferentSessions_doNotShareHistory() {
    TestOrg org = newOrg();
    chatFlow(org, Map.of());

    say(org, "sess-a", "apples");
    say(org, "sess-b", "bananas");

    assertThat(messages(stub.lastRequest())).extracting(m -> m.get(1)).containsExactly(
        "You are a helpful assistant. Use the conversation so far.", "bananas");
  }

  @Test
  void backgroundRun_inSession_appendsItsTurnToo() {
    TestOrg org = newOrg();
    chatFlow(org, Map.of());

    Http.Response r = http.post(flowRequestPath(org, "chat-memory"), org.token(),
        Map.of("body", Map.of("message", "in the background"), "options", Map.of("flow_session_id", "sess-bg")),
        ASYNC);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(settled(org, r.json().path("run_id").asText()).path("status").asText()).isEqualTo("completed");

    JsonNode stored = http.get("/api/v1/conversations/sess-bg/messages", org.token()).json().path("data");
    assertThat(stored).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText())
        .containsExactly("user:in the background", "assistant:Echo: in the background");
  }

  @Test
  void memoryNode_withWindowAndCompact_sendsASummaryOfTheOlderTurnsThenTheRest() {
    TestOrg org = newOrg();
    chatFlow(org, Map.of("window", 2, "compact", true));

    say(org, "sess-long", "I live in Lisbon.");
    say(org, "sess-long", "I like tea.");
    Http.Response third = say(org, "sess-long", "Where do I live?");

    List<List<String>> sent = messages(stub.lastRequest());
    assertThat(sent).hasSize(5);
    assertThat(sent.get(1).get(0)).isEqualTo("system");
    // the offline model (the default provider) summarised the first turn
    assertThat(sent.get(1).get(1)).startsWith("Summary of the earlier conversation: ")
        .contains("user: I live in Lisbon.").contains("assistant: Echo: I live in Lisbon.");
    assertThat(sent.subList(2, 5)).containsExactly(List.of("user", "I like tea."),
        List.of("assistant", "Echo: I like tea."), List.of("user", "Where do I live?"));
    assertThat(run(org, third.json().path("id").asText()).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void memoryNode_withTokenBudget_sendsOnlyTheNewestTurnsThatFit() {
    TestOrg org = newOrg();
    chatFlow(org, Map.of("tokenBudget", 30));

    say(org, "sess-budget", "x".repeat(400));
    say(org, "sess-budget", "short");
    say(org, "sess-budget", "next");

    assertThat(messages(stub.lastRequest())).containsExactly(
        List.of("system", "You are a helpful assistant. Use the conversation so far."),
        List.of("user", "short"), List.of("assistant", "Echo: short"), List.of("user", "next"));
  }
}
