package io.durableflows.api.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reference 002's cancellation routes over running, waiting and finished runs of one org and another. */
class CancellationRoutesTest extends RunApiTest {
  /** Fifty tokens a tenth of a second apart: a reply that is still streaming when the test cancels it. */
  private static final String[] TOKENS = IntStream.range(0, 50).mapToObj(i -> "word" + i + " ").toArray(String[]::new);
  private static final String FULL_ANSWER = String.join("", TOKENS);

  private Http.Response cancel(TestOrg org, String runId) {
    return http.post("/api/v1/cancel/" + runId, org.token(), "");
  }

  private JsonNode activeCalls(TestOrg org) {
    Http.Response r = http.get("/api/v1/cancel/active-calls", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<String> callIds(JsonNode active) {
    List<String> ids = new ArrayList<>();
    active.path("data").forEach(c -> ids.add(c.path("call_id").asText()));
    return ids;
  }

  /** The run's status once it is no longer {@code from}. */
  private String statusAfter(TestOrg org, String runId, String from) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String status = from;
    while (status.equals(from) && System.nanoTime() < deadline) {
      status = run(org, runId).path("status").asText();
      if (status.equals(from)) Thread.sleep(50);
    }
    return status;
  }

  /** A run of the stub flow that streams the fifty slow tokens to a 000 SSE client; the stream is open. */
  private StreamClient streamingRun(TestOrg org) {
    createStubFlow(org, "qa-stub", "raw");
    stub.enqueue(Reply.streamed(TOKENS).withChunkDelay(Duration.ofMillis(100)));
    StreamClient s = stream(org, flowPath(org, "qa-stub") + "/run/stream", input("question", "Talk slowly"));
    assertThat(s.status()).isEqualTo(200);
    // The model is streaming: its first words reached the client.
    s.until(l -> l.startsWith("data:") && l.contains("\"content\""), WAIT);
    return s;
  }

  /** A background run of the stub flow whose model takes long to answer: running, not waiting. */
  private String slowRun(TestOrg org) {
    if (http.get("/api/v1/flows/qa-slow", org.token()).status() == 404) createStubFlow(org, "qa-slow", "raw");
    stub.enqueue(Reply.success("Too late.").withDelay(Duration.ofSeconds(20)));
    return startAsync(org, "qa-slow", input("question", "hi"));
  }

  private static Http.Response send(String method, String url, String token) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token)
          .method(method, HttpRequest.BodyPublishers.noBody()).build();
      HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      return new Http.Response(r.statusCode(), r.headers(), r.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------------ active-calls

  @Test
  void activeCalls_listsTheOrgsRunningAndWaitingRunsOnly() throws Exception {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    String finished = http.post(flowPath(org, "qa-raw") + "/run", org.token(), input("question", "hi"))
        .header("X-Run-Id");
    String waiting = waitingRun(org);
    String approval = awaitApproval(org, waiting).path("id").asText();
    String running = slowRun(org);
    String othersWaiting = waitingRun(other);
    awaitApproval(other, othersWaiting);
    try {
      JsonNode active = activeCalls(org);

      assertThat(callIds(active)).containsExactlyInAnyOrder(waiting, running).doesNotContain(finished, othersWaiting);
      assertThat(active.path("count").asInt()).isEqualTo(2);
      for (JsonNode call : active.path("data")) {
        assertThat(call.path("run_id").asText()).isEqualTo(call.path("call_id").asText());
        assertThat(call.path("cancel_url").asText()).isEqualTo("/api/v1/cancel/" + call.path("call_id").asText());
        assertThat(call.path("background").asBoolean()).isTrue();
        if (call.path("call_id").asText().equals(waiting)) {
          assertThat(call.path("status").asText()).isEqualTo("waiting");
          assertThat(call.path("flow").asText()).isEqualTo("approval-demo");
          assertThat(call.path("waiting_for")).extracting(JsonNode::asText).containsExactly(approval);
        } else {
          assertThat(call.path("status").asText()).isEqualTo("running");
          assertThat(call.path("flow").asText()).isEqualTo("qa-slow");
        }
      }
    } finally {
      cancel(org, running);
      cancel(org, waiting);
      cancel(other, othersWaiting);
    }
  }

  @Test
  void activeCalls_dropsARunOnceItIsCancelled() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    awaitApproval(org, runId);
    assertThat(callIds(activeCalls(org))).containsExactly(runId);

    cancel(org, runId);

    assertThat(statusAfter(org, runId, "waiting")).isEqualTo("cancelled");
    assertThat(callIds(activeCalls(org))).isEmpty();
    assertThat(activeCalls(org).path("count").asInt()).isZero();
  }

  @Test
  void activeCalls_withLimit_returnsAtMostThatMany() throws Exception {
    TestOrg org = newOrg();
    String first = waitingRun(org);
    String second = waitingRun(org);
    awaitApproval(org, first);
    awaitApproval(org, second);
    try {
      JsonNode page = http.get("/api/v1/cancel/active-calls?limit=1", org.token()).json();

      assertThat(page.path("data")).hasSize(1);
      assertThat(page.path("count").asInt()).isEqualTo(1);
    } finally {
      cancel(org, first);
      cancel(org, second);
    }
  }

  @Test
  void activeCalls_withLimit0_returns400() {
    TestOrg org = newOrg();

    Http.Response r = http.get("/api/v1/cancel/active-calls?limit=0", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(r.json().path("message").asText()).contains("limit");
  }

  @Test
  void activeCalls_withLimit501_returns400() {
    TestOrg org = newOrg();

    Http.Response r = http.get("/api/v1/cancel/active-calls?limit=501", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void activeCalls_withLimit500_isAccepted() {
    TestOrg org = newOrg();

    assertThat(http.get("/api/v1/cancel/active-calls?limit=500", org.token()).status()).isEqualTo(200);
  }

  @Test
  void activeCalls_withLimitThatIsNotANumber_returns400() {
    TestOrg org = newOrg();

    Http.Response r = http.get("/api/v1/cancel/active-calls?limit=ten", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void activeCalls_withoutToken_returns401() {
    assertThat(http.get("/api/v1/cancel/active-calls", null).status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------------------------------- cancel {call_id}

  @Test
  void cancel_ofARunStreamingASlowReply_returns200CancelledWithThePartialOutput() {
    TestOrg org = newOrg();
    try (StreamClient s = streamingRun(org)) {
      String runId = s.header("X-Run-Id");

      Http.Response r = cancel(org, runId);

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode b = r.json();
      assertThat(b.path("call_id").asText()).isEqualTo(runId);
      assertThat(b.path("cancelled").asBoolean()).isTrue();
      assertThat(b.path("status").asText()).isEqualTo("cancelled");
      String partial = b.path("output").asText();
      assertThat(partial).isNotEmpty().hasSizeLessThan(FULL_ANSWER.length());
      assertThat(FULL_ANSWER).startsWith(partial);
      JsonNode run = run(org, runId);
      assertThat(run.path("status").asText()).isEqualTo("cancelled");
      assertThat(run.path("output").asText()).isEqualTo(partial);
      assertThat(run.path("error").path("type").asText()).isEqualTo("cancelled");
    }
  }

  @Test
  void cancel_ofAStreamingRun_endsItsNativeEventStreamWithDoneCancelled() {
    TestOrg org = newOrg();
    try (StreamClient s = streamingRun(org)) {
      String runId = s.header("X-Run-Id");
      try (StreamClient native_ = events(org, runId)) {
        native_.until(l -> l.equals("event: message"), WAIT);

        assertThat(cancel(org, runId).status()).isEqualTo(200);

        List<Sse> rest = StreamClient.events(native_.rest(WAIT));
        Sse done = rest.getLast();
        assertThat(done.event()).isEqualTo("done");
        JsonNode data = json(done.data()).path("data");
        assertThat(data.path("status").asText()).isEqualTo("cancelled");
        assertThat(data.path("partial").asBoolean()).isTrue();
        assertThat(data.path("text").asText()).isNotEmpty().hasSizeLessThan(FULL_ANSWER.length());
        assertThat(rest).extracting(Sse::event).contains("error");
      }
    }
  }

  @Test
  void cancel_ofAStreamingRun_endsThe000StreamWithACancelledErrorAndDone() {
    TestOrg org = newOrg();
    try (StreamClient s = streamingRun(org)) {
      assertThat(cancel(org, s.header("X-Run-Id")).status()).isEqualTo(200);

      List<Sse> rest = StreamClient.events(s.rest(WAIT));

      assertThat(rest.getLast().data()).isEqualTo("[DONE]");
      JsonNode error = json(rest.get(rest.size() - 2).data()).path("error");
      assertThat(error.path("error").asText()).isEqualTo("cancelled");
      assertThat(rest).noneMatch(e -> e.data().contains("\"finish_reason\":\"stop\""));
    }
  }

  @Test
  void cancel_ofAStreamingRun_stopsTheModelCall() throws Exception {
    TestOrg org = newOrg();
    String runId;
    try (StreamClient s = streamingRun(org)) {
      runId = s.header("X-Run-Id");
      assertThat(cancel(org, runId).status()).isEqualTo(200);
      s.rest(WAIT);
    }

    // The stub notices the model client hang up when its next words find the connection closed.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (stub.streamsCutShort().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(stub.streamsCutShort()).hasSize(1);
    assertThat(stub.requests()).hasSize(1);
    // The model call never completed, so it was never journaled as a call the run made.
    assertThat(run(org, runId).path("calls")).isEmpty();
  }

  @Test
  void cancel_ofAWaitingRun_cancelsTheRunAndItsApproval() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String approval = awaitApproval(org, runId).path("id").asText();

    Http.Response r = cancel(org, runId);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
    JsonNode run = run(org, runId);
    assertThat(run.path("status").asText()).isEqualTo("cancelled");
    assertThat(run.path("waiting_for")).isEmpty();
    assertThat(http.get("/api/v1/approvals/" + approval, org.token()).json().path("status").asText())
        .isEqualTo("cancelled");
    assertThat(http.get("/api/v1/approvals/pending?run=" + runId, org.token()).json().path("data")).isEmpty();
  }

  @Test
  void cancel_ofAWaitingRun_thenAnsweringItsApproval_isRefused() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String approval = awaitApproval(org, runId).path("id").asText();
    cancel(org, runId);

    Http.Response r = http.post("/api/v1/approvals/" + approval + "/respond", org.token(),
        Map.of("decision", "approve"));

    assertThat(r.status()).as(r.body()).isEqualTo(410);
    assertThat(r.json().path("error").asText()).isEqualTo("run_ended");
    assertThat(run(org, runId).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancel_ofARunASyncRequestWaitsFor_answersThatRequest409CancelledWithTheRunId() throws Exception {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-slow", "raw");
    stub.enqueue(Reply.success("Too late.").withDelay(Duration.ofSeconds(20)));
    CompletableFuture<Http.Response> sync = CompletableFuture.supplyAsync(
        () -> http.post(flowPath(org, "qa-slow") + "/run", org.token(), input("question", "hi")));
    String runId = awaitActiveCall(org);

    assertThat(cancel(org, runId).status()).isEqualTo(200);

    Http.Response r = sync.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("cancelled");
    assertThat(r.json().path("run_id").asText()).isEqualTo(runId);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancel_ofARunA001RequestWaitsFor_answersThatRequest409Cancelled() throws Exception {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-slow", "raw");
    stub.enqueue(Reply.success("Too late.").withDelay(Duration.ofSeconds(20)));
    CompletableFuture<Http.Response> sync = CompletableFuture.supplyAsync(
        () -> http.post(flowRequestPath(org, "qa-slow"), org.token(), Map.of("body", Map.of("question", "hi"))));
    String runId = awaitActiveCall(org);

    cancel(org, runId);

    Http.Response r = sync.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("cancelled");
  }

  /** The id of the org's one active run, once it has one. */
  private String awaitActiveCall(TestOrg org) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> ids = callIds(activeCalls(org));
      if (!ids.isEmpty()) return ids.getFirst();
      Thread.sleep(20);
    }
    throw new AssertionError("no active run");
  }

  @Test
  void cancel_ofAFinishedRun_returns409NotActive() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = http.post(flowPath(org, "qa-raw") + "/run", org.token(), input("question", "hi"))
        .header("X-Run-Id");

    Http.Response r = cancel(org, runId);

    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("not_active");
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
    assertThat(run(org, runId).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void cancel_twice_returns409TheSecondTime() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    awaitApproval(org, runId);
    assertThat(cancel(org, runId).status()).isEqualTo(200);

    Http.Response again = cancel(org, runId);

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().path("error").asText()).isEqualTo("not_active");
    assertThat(again.json().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancel_ofUnknownRun_returns404() {
    TestOrg org = newOrg();

    Http.Response r = cancel(org, "run_unknown");

    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void cancel_ofAnotherOrgsRun_returns404AndLeavesItWaiting() throws Exception {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String runId = waitingRun(other);
    awaitApproval(other, runId);
    try {
      Http.Response r = cancel(org, runId);

      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(run(other, runId).path("status").asText()).isEqualTo("waiting");
    } finally {
      cancel(other, runId);
    }
  }

  @Test
  void cancel_withReadOnlyToken_returns403AndLeavesTheRunWaiting() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    awaitApproval(org, runId);
    String readOnly = tokens.mint(org.id(), "read-only", List.of("runs:read")).token();
    try {
      Http.Response r = http.post("/api/v1/cancel/" + runId, readOnly, "");

      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(http.get("/api/v1/cancel/active-calls", readOnly).status()).isEqualTo(200);
      assertThat(run(org, runId).path("status").asText()).isEqualTo("waiting");
    } finally {
      cancel(org, runId);
    }
  }

  // --------------------------------------------------------------------------------------------------- all

  @Test
  void cancelAll_cancelsOnlyTheCallersOrgsActiveRuns() throws Exception {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    String finished = http.post(flowPath(org, "qa-raw") + "/run", org.token(), input("question", "hi"))
        .header("X-Run-Id");
    String first = waitingRun(org);
    String second = waitingRun(org);
    awaitApproval(org, first);
    awaitApproval(org, second);
    String others = waitingRun(other);
    String othersApproval = awaitApproval(other, others).path("id").asText();
    try {
      Http.Response r = http.post("/api/v1/cancel/all", org.token(), "");

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("cancelled")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first, second);
      assertThat(r.json().path("count").asInt()).isEqualTo(2);
      assertThat(r.json().path("failed")).isEmpty();
      assertThat(statusAfter(org, first, "waiting")).isEqualTo("cancelled");
      assertThat(statusAfter(org, second, "waiting")).isEqualTo("cancelled");
      assertThat(run(org, finished).path("status").asText()).isEqualTo("completed");
      assertThat(run(other, others).path("status").asText()).isEqualTo("waiting");
      assertThat(http.get("/api/v1/approvals/" + othersApproval, other.token()).json().path("status").asText())
          .isEqualTo("pending");
      assertThat(callIds(activeCalls(other))).containsExactly(others);
    } finally {
      cancel(other, others);
    }
  }

  @Test
  void cancelAll_withNothingActive_cancelsNothing() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/cancel/all", org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("cancelled")).isEmpty();
    assertThat(r.json().path("count").asInt()).isZero();
  }

  // ------------------------------------------------------------------------------------------ background-task

  @Test
  void cancelBackgroundTask_ofAnAsyncStartedRun_cancelsIt() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    awaitApproval(org, runId);

    Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("call_id").asText()).isEqualTo(runId);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(run(org, runId).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancelBackgroundTask_ofARunningAsyncRun_cancelsIt() {
    TestOrg org = newOrg();
    String runId = slowRun(org);

    Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancelBackgroundTask_ofAnAsyncAgentChatTurn_cancelsIt() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    publish(org, "approval-demo");
    Http.Response started = http.post("/agents/approval-demo/chat", org.token(), Map.of("text", "hi"), ASYNC);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().path("run_id").asText();
    awaitApproval(org, runId);

    Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancelBackgroundTask_ofAnAsync001Run_cancelsIt() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    Http.Response started = http.post(flowRequestPath(org, "approval-demo"), org.token(),
        Map.of("body", Map.of("question", "hi")), ASYNC);
    String runId = started.json().path("run_id").asText();
    awaitApproval(org, runId);

    Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancelBackgroundTask_ofASyncStartedRun_returns404AndLeavesItWaiting() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    Http.Response sync = http.post(flowPath(org, "approval-demo") + "/run", org.token(), input("question", "Sync"));
    assertThat(sync.status()).as(sync.body()).isEqualTo(202);
    String runId = sync.json().path("run_id").asText();
    try {
      Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.json().path("error").asText()).isEqualTo("not_found");
      assertThat(run(org, runId).path("status").asText()).isEqualTo("waiting");
    } finally {
      cancel(org, runId);
    }
  }

  @Test
  void cancelBackgroundTask_ofAnotherOrgsTask_returns404() throws Exception {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String runId = waitingRun(other);
    awaitApproval(other, runId);
    try {
      assertThat(http.post("/api/v1/cancel/background-task/" + runId, org.token(), "").status()).isEqualTo(404);
      assertThat(run(other, runId).path("status").asText()).isEqualTo("waiting");
    } finally {
      cancel(other, runId);
    }
  }

  @Test
  void cancelBackgroundTask_ofAFinishedTask_returns409() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = startAsync(org, "qa-raw", input("question", "hi"));
    assertThat(settled(org, runId).path("status").asText()).isEqualTo("completed");

    Http.Response r = http.post("/api/v1/cancel/background-task/" + runId, org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("not_active");
  }

  @Test
  void cancelBackgroundTask_ofUnknownTask_returns404() {
    TestOrg org = newOrg();

    assertThat(http.post("/api/v1/cancel/background-task/run_unknown", org.token(), "").status()).isEqualTo(404);
  }

  // ------------------------------------------------------------------------------------------- wrong methods

  @Test
  void getOnACancelRoute_returns405() {
    TestOrg org = newOrg();

    for (String path : List.of("/api/v1/cancel/run_x", "/api/v1/cancel/all", "/api/v1/cancel/background-task/run_x")) {
      Http.Response r = http.get(path, org.token());
      assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(405);
      assertThat(r.json().path("error").asText()).isEqualTo("method_not_allowed");
    }
  }

  @Test
  void deleteOrPutOnACancelRoute_returns405() {
    TestOrg org = newOrg();
    String base = http.base() + "/api/v1/cancel/";

    for (String method : List.of("DELETE", "PUT")) {
      for (String path : List.of("run_x", "all", "background-task/run_x", "active-calls")) {
        Http.Response r = send(method, base + path, org.token());
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(405);
      }
    }
  }

  @Test
  void postOnActiveCalls_returns405() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/cancel/active-calls", org.token(), "");

    assertThat(r.status()).as(r.body()).isEqualTo(405);
    assertThat(r.json().path("error").asText()).isEqualTo("method_not_allowed");
  }
}
