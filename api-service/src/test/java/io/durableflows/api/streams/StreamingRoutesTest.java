package io.durableflows.api.streams;

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

/**
 * Every streaming protocol end to end: the stub provider streams known tokens at known timings through the
 * streaming activity, the run workflow's event log, and each route's renderer.
 */
class StreamingRoutesTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String[] TOKENS = {"Durable ", "flows ", "stream ", "tokens ", "through ", "Temporal."};
  private static final String ANSWER = String.join("", TOKENS);

  private void createStubFlow(TestOrg org, String shape) {
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", "qa-stub");
    node(doc, "answer").put("provider", "stub");
    node(doc, "output").put("shape", shape);
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private void enqueueTokens(Duration gap) {
    stub.enqueue(Reply.streamed(TOKENS).withChunkDelay(gap));
  }

  private StreamClient post(TestOrg org, String path, Object body) {
    try {
      return StreamClient.post(http.base() + path, Map.of("Authorization", "Bearer " + org.token()),
          Http.JSON.writeValueAsString(body));
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

  private static String flowPath(TestOrg org) {
    return "/api/llm/" + org.code() + "/flows/qa-stub";
  }

  private static void assertStreamHeaders(StreamClient s, String contentType) {
    assertThat(s.header("Content-Type")).startsWith(contentType);
    assertThat(s.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(s.header("X-Accel-Buffering")).isEqualTo("no");
    assertThat(s.header("X-Run-Id")).startsWith("run_");
  }

  // ------------------------------------------------------------------------------------------------ 000 SSE

  @Test
  void runStream_sendsDeltaChunksThenDone() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(40));

    try (StreamClient s = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      assertThat(s.status()).isEqualTo(200);
      assertStreamHeaders(s, "text/event-stream");
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      StringBuilder text = new StringBuilder();
      int deltas = 0;
      for (Sse e : events.subList(0, events.size() - 1)) {
        JsonNode delta = json(e.data()).path("choices").get(0).path("delta");
        if (delta.has("content")) {
          text.append(delta.path("content").asText());
          deltas++;
        }
      }
      assertThat(text.toString()).isEqualTo(ANSWER);
      assertThat(deltas).isGreaterThan(1);
    }
  }

  @Test
  void runStream_sendsTheFirstTokenBeforeTheModelHasFinished() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(300));

    try (StreamClient s = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      StreamClient.Line first = s.until(l -> l.contains("\"content\""), WAIT).getLast();
      List<StreamClient.Line> rest = s.rest(WAIT);
      long beforeEnd = rest.getLast().atNanos() - first.atNanos();
      // Six tokens 300 ms apart: the first arrives about 1.5 s before the last.
      assertThat(Duration.ofNanos(beforeEnd)).isGreaterThan(Duration.ofMillis(900));
      assertThat(json(first.text().substring(6)).path("choices").get(0).path("delta").path("content").asText())
          .isEqualTo(TOKENS[0]);
    }
  }

  @Test
  void runStream_whenTheProviderFails_endsWithAnErrorChunkAndDone() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    stub.enqueue(Reply.error(401));

    try (StreamClient s = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      assertThat(s.status()).isEqualTo(200);
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      JsonNode error = json(events.get(events.size() - 2).data()).path("error");
      assertThat(error.path("error").asText()).isEqualTo("provider_error");
      assertThat(error.path("message").asText()).contains("answer");
    }
  }

  @Test
  void runStream_withMissingInput_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    try (StreamClient s = post(org, flowPath(org) + "/run/stream", Map.of("input", Map.of()))) {
      assertThat(s.status()).isEqualTo(400);
      assertThat(json(String.join("", StreamClient.texts(s.rest(WAIT)))).path("error").asText())
          .isEqualTo("invalid_input");
    }
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void runStream_withBadOnDisconnect_returns400() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    Map<String, Object> body = Map.of("input", Map.of("question", "hi"), "on_disconnect", "explode");
    try (StreamClient s = post(org, flowPath(org) + "/run/stream", body)) {
      assertThat(s.status()).isEqualTo(400);
    }
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void runStream_forAnotherOrgsCode_returns404AndStartsNothing() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createStubFlow(other, "raw");
    try (StreamClient s = post(org, "/api/llm/" + other.code() + "/flows/qa-stub/run/stream", input("question", "hi"))) {
      assertThat(s.status()).isEqualTo(404);
      assertThat(json(String.join("", StreamClient.texts(s.rest(WAIT)))).path("error").asText()).isEqualTo("not_found");
    }
    assertThat(http.get("/api/v1/runs", other.token()).json().path("data")).isEmpty();
  }

  @Test
  void runStream_withUnknownSlug_returns404() {
    TestOrg org = newOrg();
    try (StreamClient s = post(org, "/api/llm/" + org.code() + "/flows/nope/run/stream", input("question", "hi"))) {
      assertThat(s.status()).isEqualTo(404);
    }
  }

  // --------------------------------------------------------------------------------------------- JSON Lines

  @Test
  void runWithStreamTrue_sendsJsonLinesEndingWithOutputAndUsage() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(30));

    try (StreamClient s = post(org, flowPath(org) + "/run",
        Map.of("input", Map.of("question", "hi"), "stream", true))) {
      assertThat(s.status()).isEqualTo(200);
      assertStreamHeaders(s, "application/x-ndjson");
      List<JsonNode> lines = s.rest(WAIT).stream().map(l -> json(l.text())).toList();

      JsonNode last = lines.getLast();
      assertThat(last.path("type").asText()).isEqualTo("done");
      assertThat(last.path("status").asText()).isEqualTo("completed");
      assertThat(last.path("output").asText()).isEqualTo(ANSWER);
      assertThat(last.path("usage").path("total_tokens").asLong()).isPositive();
      assertThat(last.path("run_id").asText()).isEqualTo(s.header("X-Run-Id"));
      String streamed = lines.stream().filter(l -> l.path("type").asText().equals("delta"))
          .map(l -> l.path("content").asText()).reduce("", String::concat);
      assertThat(streamed).isEqualTo(ANSWER);
    }
  }

  // ------------------------------------------------------------------------------------------------ 001 http

  @Test
  void flowRequestWithStreamHttp_streamsTheRunEventLog() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(20));
    String path = "/api/v1/accounts/" + org.code() + "/projects/default/flows/qa-stub/run";

    try (StreamClient s = post(org, path,
        Map.of("body", Map.of("question", "hi"), "options", Map.of("stream", "http", "flow_session_id", "s-1")))) {
      assertThat(s.status()).isEqualTo(200);
      assertStreamHeaders(s, "text/event-stream");
      assertThat(s.header("X-Flow-Session-Id")).isEqualTo("s-1");
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      assertThat(events.getFirst().event()).isEqualTo("run_started");
      assertThat(events.getLast().event()).isEqualTo("done");
      assertThat(events).extracting(Sse::id)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, events.size()).mapToObj(String::valueOf).toList());
      String text = events.stream().filter(e -> e.event().equals("message"))
          .map(e -> json(e.data()).path("data").path("text").asText()).reduce("", String::concat);
      assertThat(text).isEqualTo(ANSWER);
    }
  }

  // -------------------------------------------------------------------------------------------------- native

  @Test
  void runEvents_ofAFinishedRun_replaysTheWholeLogFromPostgres() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ZERO);
    String runId = http.post(flowPath(org) + "/run", org.token(), input("question", "hi")).header("X-Run-Id");

    try (StreamClient s = StreamClient.get(http.base() + "/api/v1/runs/" + runId + "/events",
        Map.of("Authorization", "Bearer " + org.token()))) {
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events).extracting(Sse::event)
          .containsExactly("run_started", "node_started", "node_finished", "node_started", "node_finished", "usage",
              "done");
      assertThat(json(events.getLast().data()).path("data").path("status").asText()).isEqualTo("completed");
    }
  }

  @Test
  void runEvents_attachedMidRunAndResumedWithLastEventId_loseAndRepeatNothing() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(250));
    String eventsUrl;
    List<Sse> firstPart;
    // Started by one client...
    try (StreamClient starter = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      String runId = starter.header("X-Run-Id");
      eventsUrl = http.base() + "/api/v1/runs/" + runId + "/events";
      // ...watched by another, which drops its connection after the first message...
      try (StreamClient watcher = StreamClient.get(eventsUrl, Map.of("Authorization", "Bearer " + org.token()))) {
        List<StreamClient.Line> lines = new java.util.ArrayList<>(watcher.until(l -> l.equals("event: message"), WAIT));
        lines.addAll(watcher.until(String::isEmpty, WAIT));
        firstPart = StreamClient.events(lines);
      }
      starter.rest(WAIT);
    }
    // ...and comes back with Last-Event-ID after the run finished.
    String last = firstPart.getLast().id();
    try (StreamClient resumed = StreamClient.get(eventsUrl,
        Map.of("Authorization", "Bearer " + org.token(), "Last-Event-ID", last))) {
      List<Sse> secondPart = StreamClient.events(resumed.rest(WAIT));
      List<String> ids = new java.util.ArrayList<>(firstPart.stream().map(Sse::id).toList());
      ids.addAll(secondPart.stream().map(Sse::id).toList());
      assertThat(ids).containsExactlyElementsOf(
          java.util.stream.IntStream.rangeClosed(1, ids.size()).mapToObj(String::valueOf).toList());
      assertThat(secondPart.getLast().event()).isEqualTo("done");
    }
  }

  @Test
  void runEvents_withAfterParameter_startsAfterThatSequenceNumber() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ZERO);
    String runId = http.post(flowPath(org) + "/run", org.token(), input("question", "hi")).header("X-Run-Id");

    try (StreamClient s = StreamClient.get(http.base() + "/api/v1/runs/" + runId + "/events?after=5",
        Map.of("Authorization", "Bearer " + org.token()))) {
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events.getFirst().id()).isEqualTo("6");
    }
  }

  @Test
  void runEvents_ofAnotherOrgsRun_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ZERO);
    String runId = http.post(flowPath(org) + "/run", org.token(), input("question", "hi")).header("X-Run-Id");

    Http.Response r = http.get("/api/v1/runs/" + runId + "/events", other.token());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void runEvents_ofUnknownRun_returns404() {
    TestOrg org = newOrg();
    Http.Response r = http.get("/api/v1/runs/run_unknown/events", org.token());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void runEvents_withBadLastEventId_returns400() {
    TestOrg org = newOrg();
    Http.Response r = http.get("/api/v1/runs/run_x/events?after=-3", org.token());
    assertThat(r.status()).isEqualTo(400);
  }

  // ----------------------------------------------------------------------------------------------- disconnect

  @Test
  void clientDisconnect_leavesTheRunRunningToCompletion() throws InterruptedException {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    enqueueTokens(Duration.ofMillis(150));
    String runId;
    try (StreamClient s = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      runId = s.header("X-Run-Id");
      s.until(l -> l.contains("\"content\""), WAIT);
    }
    assertThat(awaitStatus(org, runId)).isEqualTo("completed");
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("output").asText()).isEqualTo(ANSWER);
  }

  @Test
  void clientDisconnect_withOnDisconnectCancel_cancelsTheRun() throws InterruptedException {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    stub.enqueue(Reply.streamed(TOKENS).withChunkDelay(Duration.ofMillis(1500)));
    String runId;
    Map<String, Object> body = Map.of("input", Map.of("question", "hi"), "on_disconnect", "cancel");
    try (StreamClient s = post(org, flowPath(org) + "/run/stream", body)) {
      runId = s.header("X-Run-Id");
      s.until(l -> l.contains("\"content\""), WAIT);
    }
    assertThat(awaitStatus(org, runId)).isEqualTo("cancelled");
  }

  private String awaitStatus(TestOrg org, String runId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String status;
    do {
      Thread.sleep(100);
      status = http.get("/api/v1/runs/" + runId, org.token()).json().path("status").asText();
    } while (status.equals("running") && System.nanoTime() < deadline);
    return status;
  }

  @Test
  void idleStream_sendsHeartbeatComments() {
    TestOrg org = newOrg();
    createStubFlow(org, "raw");
    stub.enqueue(Reply.streamed("slow").withDelay(Duration.ofMillis(2500)));
    try (StreamClient s = post(org, flowPath(org) + "/run/stream", input("question", "hi"))) {
      List<String> lines = StreamClient.texts(s.rest(WAIT));
      assertThat(lines).contains(": heartbeat");
      assertThat(lines.getLast().isEmpty() ? lines.get(lines.size() - 2) : lines.getLast()).isEqualTo("data: [DONE]");
    }
  }
}
