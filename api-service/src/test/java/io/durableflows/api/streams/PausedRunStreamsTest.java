package io.durableflows.api.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Line;
import io.durableflows.api.support.StreamClient.Sse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every stream of a run that pauses for a person (examples/flows/approval-demo.json) says why it waits, with what to
 * answer and where, stays open while it waits, and goes on to the end once the person answers.
 */
class PausedRunStreamsTest extends RunApiTest {
  private static final String QUESTION = "Why is the sky blue?";
  private static final String ANSWER_START = "Offline answer to \"" + QUESTION + "\"";

  private void approvalDemo(TestOrg org) {
    createExample(org, "approval-demo");
  }

  /** Reads one whole server-sent event that starts with a line matching {@code first}. */
  private static Sse nextEvent(StreamClient s, java.util.function.Predicate<String> first) {
    List<Line> lines = new ArrayList<>(s.until(first, WAIT));
    lines = new ArrayList<>(lines.subList(lines.size() - 1, lines.size()));
    lines.addAll(s.until(String::isEmpty, WAIT));
    List<Sse> events = StreamClient.events(lines);
    assertThat(events).hasSize(1);
    return events.getFirst();
  }

  /** The event's {@code data:} with its {@code event:} line before it, as the native format writes both. */
  private static Sse nativeEvent(StreamClient s, String type) {
    List<Line> lines = new ArrayList<>(s.until(l -> l.equals("event: " + type), WAIT));
    // id: comes on the line before event:
    List<Line> event = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 2), lines.size()));
    event.addAll(s.until(String::isEmpty, WAIT));
    return StreamClient.events(event).getLast();
  }

  private static void assertApprovalRequired(JsonNode data) {
    String id = data.path("approval_id").asText();
    assertThat(id).startsWith("apr_");
    assertThat(data.path("respond_url").asText()).isEqualTo("/api/v1/approvals/" + id + "/respond");
    assertThat(data.path("message").asText()).isEqualTo("May the assistant answer this question? " + QUESTION);
    assertThat(data.path("context").path("question").asText()).isEqualTo(QUESTION);
    assertThat(data.path("expires_at").asText()).isNotBlank();
  }

  private static List<Integer> sequence(List<Sse> events) {
    return events.stream().map(e -> Integer.parseInt(e.id())).toList();
  }

  // -------------------------------------------------------------------------------------------------- native

  @Test
  void nativeEvents_showApprovalRequiredThenResumeToDoneAfterTheAnswer() {
    TestOrg org = newOrg();
    String runId = waitingRun(org);

    try (StreamClient s = events(org, runId)) {
      List<Line> upToPause = new ArrayList<>(s.until(l -> l.equals("event: approval_required"), WAIT));
      upToPause.addAll(s.until(String::isEmpty, WAIT));
      List<Sse> before = StreamClient.events(upToPause);
      Sse required = before.getLast();
      assertThat(before).extracting(Sse::event).startsWith("run_started").doesNotContain("approval_resolved", "done");
      // The stream stays open while the run waits: heartbeats, no end.
      assertThat(StreamClient.texts(s.until(l -> l.equals(": heartbeat"), WAIT)))
          .noneMatch(l -> l.startsWith("event:"));
      JsonNode data = json(required.data());
      assertThat(data.path("type").asText()).isEqualTo("approval_required");
      assertThat(data.path("node").asText()).isEqualTo("review");
      assertApprovalRequired(data.path("data"));

      approve(org, data.path("data").path("approval_id").asText());

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      List<String> types = after.stream().map(Sse::event).toList();
      assertThat(types.getFirst()).isEqualTo("approval_resolved");
      assertThat(types).containsSubsequence("approval_resolved", "node_finished", "node_started", "node_finished",
          "done");
      JsonNode resolved = json(after.getFirst().data()).path("data");
      assertThat(resolved.path("approval_id").asText()).isEqualTo(data.path("data").path("approval_id").asText());
      assertThat(resolved.path("status").asText()).isEqualTo("approved");
      JsonNode done = json(after.getLast().data()).path("data");
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("text").asText()).startsWith(ANSWER_START);
      assertThat(Integer.parseInt(after.getFirst().id())).isEqualTo(Integer.parseInt(required.id()) + 1);
      assertThat(sequence(after)).containsExactlyElementsOf(
          IntStream.rangeClosed(Integer.parseInt(after.getFirst().id()), Integer.parseInt(after.getLast().id()))
              .boxed().toList());
    }
  }

  @Test
  void nativeEvents_openedAfterTheRunPaused_replayWhyItWaits() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String approvalId = awaitApproval(org, runId).path("id").asText();

    try (StreamClient s = events(org, runId)) {
      Sse required = nativeEvent(s, "approval_required");
      assertThat(json(required.data()).path("data").path("approval_id").asText()).isEqualTo(approvalId);
      approve(org, approvalId);
      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getLast().event()).isEqualTo("done");
      assertThat(json(after.getLast().data()).path("data").path("status").asText()).isEqualTo("completed");
    }
  }

  @Test
  void nativeEvents_whileTheRunWaits_keepTheConnectionAliveWithHeartbeats() {
    TestOrg org = newOrg();
    String runId = waitingRun(org);

    try (StreamClient s = events(org, runId)) {
      nativeEvent(s, "approval_required");

      assertThat(s.until(l -> l.equals(": heartbeat"), WAIT).getLast().text()).isEqualTo(": heartbeat");
    } finally {
      http.post("/api/v1/cancel/" + runId, org.token(), "");
    }
  }

  // ----------------------------------------------------------------------------------------------------- 001

  @Test
  void flowRequestStreamHttp_showsApprovalRequiredThenResumesToDone() {
    TestOrg org = newOrg();
    approvalDemo(org);

    try (StreamClient s = stream(org, flowRequestPath(org, "approval-demo"),
        Map.of("body", Map.of("question", QUESTION), "options", Map.of("stream", "http")))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).startsWith("text/event-stream");
      Sse required = nativeEvent(s, "approval_required");
      JsonNode data = json(required.data()).path("data");
      assertApprovalRequired(data);

      approve(org, data.path("approval_id").asText());

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getFirst().event()).isEqualTo("approval_resolved");
      assertThat(after).extracting(Sse::event).contains("message");
      String streamed = after.stream().filter(e -> e.event().equals("message"))
          .map(e -> json(e.data()).path("data").path("text").asText()).reduce("", String::concat);
      assertThat(streamed).startsWith(ANSWER_START);
      assertThat(after.getLast().event()).isEqualTo("done");
      assertThat(json(after.getLast().data()).path("data").path("status").asText()).isEqualTo("completed");
    }
  }

  // --------------------------------------------------------------------------------------------- 000 SSE

  @Test
  void runStream_sendsAnEmptyDeltaChunkWithTheApproval_thenTheAnswerAndDone() {
    TestOrg org = newOrg();
    approvalDemo(org);

    try (StreamClient s = stream(org, flowPath(org, "approval-demo") + "/run/stream", input("question", QUESTION))) {
      assertThat(s.status()).isEqualTo(200);
      Sse pause = nextEvent(s, l -> l.startsWith("data:") && l.contains("\"run_event\""));
      JsonNode chunk = json(pause.data());
      assertThat(chunk.path("choices")).hasSize(1);
      assertThat(chunk.path("choices").get(0).path("delta").isObject()).isTrue();
      assertThat(chunk.path("choices").get(0).path("delta")).isEmpty();
      JsonNode event = chunk.path("run_event");
      assertThat(event.path("type").asText()).isEqualTo("approval_required");
      assertThat(event.path("node").asText()).isEqualTo("review");
      assertApprovalRequired(event);

      approve(org, event.path("approval_id").asText());

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getLast().data()).isEqualTo("[DONE]");
      List<JsonNode> chunks = after.subList(0, after.size() - 1).stream().map(e -> json(e.data())).toList();
      assertThat(chunks.getFirst().path("run_event").path("type").asText()).isEqualTo("approval_resolved");
      assertThat(chunks.getFirst().path("run_event").path("status").asText()).isEqualTo("approved");
      String content = chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("content").asText(""))
          .reduce("", String::concat);
      assertThat(content).startsWith(ANSWER_START);
      assertThat(chunks.getLast().path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }
  }

  @Test
  void runStream_afterADenial_sendsTheDenialAsTheAnswer() {
    TestOrg org = newOrg();
    approvalDemo(org);

    try (StreamClient s = stream(org, flowPath(org, "approval-demo") + "/run/stream", input("question", QUESTION))) {
      Sse pause = nextEvent(s, l -> l.startsWith("data:") && l.contains("\"run_event\""));
      String approvalId = json(pause.data()).path("run_event").path("approval_id").asText();

      Http.Response denied = http.post("/api/v1/approvals/" + approvalId + "/respond", org.token(),
          Map.of("decision", "deny", "comment", "not today", "responder", "bob"));
      assertThat(denied.status()).as(denied.body()).isEqualTo(200);

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getLast().data()).isEqualTo("[DONE]");
      String content = after.subList(0, after.size() - 1).stream()
          .map(e -> json(e.data()).path("choices").path(0).path("delta").path("content").asText(""))
          .reduce("", String::concat);
      assertThat(content).isEqualTo("Denied by bob: not today");
    }
  }

  // ------------------------------------------------------------------------------------------ 000 JSON Lines

  @Test
  void runWithStreamTrue_sendsAnApprovalRequiredLine_thenTheAnswerAndDone() {
    TestOrg org = newOrg();
    approvalDemo(org);

    try (StreamClient s = stream(org, flowPath(org, "approval-demo") + "/run",
        Map.of("input", Map.of("question", QUESTION), "stream", true))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("Content-Type")).startsWith("application/x-ndjson");
      JsonNode pause = json(s.until(l -> l.contains("\"approval_required\""), WAIT).getLast().text());
      assertThat(pause.path("type").asText()).isEqualTo("approval_required");
      assertThat(pause.path("node").asText()).isEqualTo("review");
      assertApprovalRequired(pause);

      approve(org, pause.path("approval_id").asText());

      List<JsonNode> after = s.rest(WAIT).stream().map(l -> json(l.text()))
          .filter(l -> !l.path("type").asText().equals("heartbeat")).toList();
      assertThat(after.getFirst().path("type").asText()).isEqualTo("approval_resolved");
      String content = after.stream().filter(l -> l.path("type").asText().equals("delta"))
          .map(l -> l.path("content").asText()).reduce("", String::concat);
      assertThat(content).startsWith(ANSWER_START);
      JsonNode done = after.getLast();
      assertThat(done.path("type").asText()).isEqualTo("done");
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("output").asText()).isEqualTo(content);
    }
  }

  // ------------------------------------------------------------------------------------------ OpenAI chunks

  @Test
  void chatCompletionsStream_carriesTheApprovalInRunEventWithAnEmptyDelta() {
    TestOrg org = newOrg();
    approvalDemo(org);

    try (StreamClient s = stream(org, flowPath(org, "approval-demo") + "/chat/completions", Map.of("model", "m",
        "stream", true, "messages", List.of(Map.of("role", "user", "content", QUESTION))))) {
      assertThat(s.status()).isEqualTo(200);
      Sse pause = nextEvent(s, l -> l.startsWith("data:") && l.contains("\"run_event\""));
      JsonNode chunk = json(pause.data());
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("id").asText()).startsWith("flowrun_run_");
      JsonNode choice = chunk.path("choices").get(0);
      assertThat(choice.path("delta").isObject()).isTrue();
      assertThat(choice.path("delta")).isEmpty();
      assertThat(choice.path("finish_reason").isNull()).isTrue();
      assertThat(chunk.path("run_event").path("type").asText()).isEqualTo("approval_required");
      assertApprovalRequired(chunk.path("run_event"));

      approve(org, chunk.path("run_event").path("approval_id").asText());

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getLast().data()).isEqualTo("[DONE]");
      List<JsonNode> chunks = after.subList(0, after.size() - 1).stream().map(e -> json(e.data())).toList();
      assertThat(chunks.getFirst().path("run_event").path("type").asText()).isEqualTo("approval_resolved");
      assertThat(chunks).allSatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(chunk.path("id").asText()));
      String content = chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("content").asText(""))
          .reduce("", String::concat);
      assertThat(content).startsWith(ANSWER_START);
    }
  }

  @Test
  void officialOpenAiClient_readsAStreamThatPausedForApprovalToTheEnd() throws Exception {
    TestOrg org = newOrg();
    approvalDemo(org);
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(http.base() + "/api/llm/" + org.code() + "/flows/approval-demo")
        .apiKey(org.token())
        .maxRetries(0)
        .build();
    // The reviewer answers while the client is blocked reading the stream.
    CompletableFuture<String> reviewer = CompletableFuture.supplyAsync(() -> {
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
          JsonNode pending = http.get("/api/v1/approvals/pending", org.token()).json().path("data");
          if (pending.size() > 0) {
            String id = pending.get(0).path("id").asText();
            approve(org, id);
            return id;
          }
          Thread.sleep(50);
        }
        throw new AssertionError("the run never asked for approval");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("durable-flow").addUserMessage(QUESTION).build())) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        accumulator.accumulate(chunk);
      });
    }

    assertThat(reviewer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("apr_");
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).startsWith(ANSWER_START));
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    // The pause chunks reached the client as chunks with an empty delta (and run_event as an extra property).
    assertThat(chunks).anySatisfy(c -> assertThat(c._additionalProperties()).containsKey("run_event"));
  }

  // ----------------------------------------------------------------------------------------------------- 003

  @Test
  void agentChatStream_sendsAwaitingApprovalThenThinkingThenTheAnswer() {
    TestOrg org = newOrg();
    approvalDemo(org);
    publish(org, "approval-demo");

    try (StreamClient s = stream(Map.of("x-api-key", org.token()), "/agents/approval-demo/chat",
        Map.of("text", QUESTION))) {
      assertThat(s.status()).isEqualTo(200);
      Sse waiting = nextEvent(s, l -> l.equals("event: status"));
      // The first status is thinking (the run started); the pause comes after it.
      while (!json(waiting.data()).path("state").asText().equals("awaiting_approval")) {
        waiting = nextEvent(s, l -> l.equals("event: status"));
      }
      JsonNode data = json(waiting.data());
      assertThat(waiting.event()).isEqualTo("status");
      assertApprovalRequired(data);

      approve(org, data.path("approval_id").asText());

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getFirst().event()).isEqualTo("status");
      JsonNode resumed = json(after.getFirst().data());
      assertThat(resumed.path("state").asText()).isEqualTo("thinking");
      assertThat(resumed.path("approval_id").asText()).isEqualTo(data.path("approval_id").asText());
      assertThat(resumed.path("status").asText()).isEqualTo("approved");
      assertThat(after).extracting(Sse::event).containsSubsequence("status", "message", "done", "flow_meta");
      String text = after.stream().filter(e -> "message".equals(e.event())).map(e -> json(e.data()).asText())
          .reduce("", String::concat);
      assertThat(text).startsWith(ANSWER_START);
      Sse done = after.get(after.size() - 2);
      assertThat(done.event()).isEqualTo("done");
      assertThat(json(done.data()).path("text").asText()).isEqualTo(text);
      assertThat(after.getLast().event()).isEqualTo("flow_meta");
    }
  }

  // ------------------------------------------------------------------------------------------------ questions

  @Test
  void runStream_sendsTheQuestionInRunEvent_thenTheAnswerUsingTheReply() {
    TestOrg org = newOrg();
    createExample(org, "question-demo");

    try (StreamClient s = stream(org, flowPath(org, "question-demo") + "/run/stream", input("topic", "tides"))) {
      Sse pause = nextEvent(s, l -> l.startsWith("data:") && l.contains("\"run_event\""));
      JsonNode event = json(pause.data()).path("run_event");
      assertThat(json(pause.data()).path("choices").get(0).path("delta")).isEmpty();
      assertThat(event.path("type").asText()).isEqualTo("question");
      String id = event.path("question_id").asText();
      assertThat(id).startsWith("qst_");
      assertThat(event.path("question").asText()).isEqualTo("How detailed should the explanation of tides be?");
      assertThat(event.path("choices")).extracting(JsonNode::asText)
          .containsExactly("one sentence", "a short paragraph", "step by step");
      assertThat(event.path("respond_url").asText()).isEqualTo("/api/v1/questions/" + id + "/respond");

      Http.Response answered = http.post(event.path("respond_url").asText(), org.token(),
          Map.of("answer", "step by step"));
      assertThat(answered.status()).as(answered.body()).isEqualTo(200);

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(after.getLast().data()).isEqualTo("[DONE]");
      JsonNode resumed = json(after.getFirst().data()).path("run_event");
      assertThat(resumed.path("type").asText()).isEqualTo("question_answered");
      assertThat(resumed.path("answer").asText()).isEqualTo("step by step");
      String content = after.subList(0, after.size() - 1).stream()
          .map(e -> json(e.data()).path("choices").path(0).path("delta").path("content").asText(""))
          .reduce("", String::concat);
      assertThat(content).contains("Explain tides in step by step.");
    }
  }

  @Test
  void agentChatStream_sendsAwaitingInputForAQuestion_thenThinking() {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    publish(org, "question-demo");

    try (StreamClient s = stream(Map.of("x-api-key", org.token()), "/agents/question-demo/chat",
        Map.of("text", "tides"))) {
      Sse waiting = nextEvent(s, l -> l.equals("event: status"));
      while (!json(waiting.data()).path("state").asText().equals("awaiting_input")) {
        waiting = nextEvent(s, l -> l.equals("event: status"));
      }
      JsonNode data = json(waiting.data());
      assertThat(data.path("question_id").asText()).startsWith("qst_");
      assertThat(data.path("choices")).hasSize(3);

      http.post(data.path("respond_url").asText(), org.token(), Map.of("answer", "one sentence"));

      List<Sse> after = StreamClient.events(s.rest(WAIT));
      assertThat(json(after.getFirst().data()).path("state").asText()).isEqualTo("thinking");
      assertThat(json(after.getFirst().data()).path("answer").asText()).isEqualTo("one sentence");
      assertThat(after).extracting(Sse::event).containsSubsequence("message", "done", "flow_meta");
    }
  }
}
