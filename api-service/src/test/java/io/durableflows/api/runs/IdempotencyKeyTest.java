package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on every route that starts a run: a retry of the same request gets the run the first one
 * started (and, when it has finished, the same answer); the same key for another request is 422 and starts
 * nothing; keys are per org.
 */
class IdempotencyKeyTest extends RunApiTest {
  private static final Map<String, Object> QUESTION = input("question", "What is Temporal?");
  private static final Map<String, Object> OTHER_QUESTION = input("question", "What is PostgreSQL?");

  private static Map<String, String> key(String key) {
    return Map.of("Idempotency-Key", key);
  }

  private static String newKey() {
    return "key-" + System.nanoTime();
  }

  private Http.Response run(TestOrg org, String key, Map<String, Object> body) {
    return http.post(flowPath(org, "qa-raw") + "/run", org.token(), body, key(key));
  }

  private static void assertReused(Http.Response r, String firstRunId) {
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().path("error").asText()).isEqualTo("idempotency_key_reused");
    assertThat(r.json().path("run_id").asText()).isEqualTo(firstRunId);
  }

  private List<String> ledgerKinds(TestOrg org) {
    List<String> kinds = new ArrayList<>();
    http.get("/api/v1/credits", org.token()).json().path("ledger").forEach(n -> kinds.add(n.path("kind").asText()));
    return kinds;
  }

  private static String streamedContent(List<Sse> events) {
    StringBuilder text = new StringBuilder();
    for (Sse e : events) {
      if (e.data().equals("[DONE]")) continue;
      JsonNode delta = json(e.data()).path("choices").path(0).path("delta");
      if (delta.has("content")) text.append(delta.path("content").asText());
    }
    return text.toString();
  }

  // ------------------------------------------------------------------------------------------------ same key

  @Test
  void run_sameKeySameBody_returnsTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();

    Http.Response first = run(org, k, QUESTION);
    Http.Response retry = run(org, k, QUESTION);

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.header("X-Run-Id")).isEqualTo(first.header("X-Run-Id"));
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void run_syncRetryOfAFinishedRun_returnsTheSameBody() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    String k = newKey();
    String path = flowPath(org, "qa-openai") + "/run";

    Http.Response first = http.post(path, org.token(), QUESTION, key(k));
    assertThat(settled(org, first.header("X-Run-Id")).path("status").asText()).isEqualTo("completed");
    Http.Response retry = http.post(path, org.token(), QUESTION, key(k));

    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json()).isEqualTo(first.json());
  }

  @Test
  void run_sameKeyWithKeysInAnotherOrder_returnsTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();

    Http.Response first = http.post(flowPath(org, "qa-raw") + "/run", org.token(),
        "{\"input\":{\"question\":\"hi\"},\"metadata\":{\"a\":1,\"b\":2}}", key(k));
    Http.Response retry = http.post(flowPath(org, "qa-raw") + "/run", org.token(),
        "{\"metadata\":{\"b\":2,\"a\":1},\"input\":{\"question\":\"hi\"}}", key(k));

    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.header("X-Run-Id")).isEqualTo(first.header("X-Run-Id"));
  }

  @Test
  void run_sameKeyForARunWaitingForApproval_returns202ForTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String k = newKey();
    String path = flowPath(org, "approval-demo") + "/run";

    Http.Response first = http.post(path, org.token(), QUESTION, key(k));
    Http.Response retry = http.post(path, org.token(), QUESTION, key(k));

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
    assertThat(retry.json().path("run_id").asText()).isEqualTo(first.json().path("run_id").asText());
    assertThat(retry.json().path("status").asText()).isEqualTo("waiting");
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runAsync_sameKeySameBody_returnsTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String path = flowPath(org, "qa-raw") + "/run";

    Http.Response first = http.post(path, org.token(), QUESTION, with(ASYNC, key(k)));
    Http.Response retry = http.post(path, org.token(), QUESTION, with(ASYNC, key(k)));

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
    assertThat(retry.json().path("run_id").asText()).isEqualTo(first.json().path("run_id").asText());
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runAsyncThenSyncRetry_withTheSameKey_waitsForTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String path = flowPath(org, "qa-raw") + "/run";

    String runId = http.post(path, org.token(), QUESTION, with(ASYNC, key(k))).json().path("run_id").asText();
    Http.Response sync = http.post(path, org.token(), QUESTION, key(k));

    assertThat(sync.status()).as(sync.body()).isEqualTo(200);
    assertThat(sync.header("X-Run-Id")).isEqualTo(runId);
    assertThat(sync.body()).isEqualTo(settled(org, runId).path("output").asText());
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runStream_sameKeySameBody_streamsTheSameRunAgainFromItsStart() {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-stub", "raw");
    stub.enqueue(Reply.streamed("Once ", "and ", "only ", "once.").withChunkDelay(Duration.ofMillis(20)));
    String k = newKey();
    String path = flowPath(org, "qa-stub") + "/run/stream";

    String firstRun;
    String firstText;
    try (StreamClient s = stream(with(bearer(org), key(k)), path, QUESTION)) {
      assertThat(s.status()).isEqualTo(200);
      firstRun = s.header("X-Run-Id");
      firstText = streamedContent(StreamClient.events(s.rest(WAIT)));
    }
    try (StreamClient s = stream(with(bearer(org), key(k)), path, QUESTION)) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("X-Run-Id")).isEqualTo(firstRun);
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      assertThat(streamedContent(events)).isEqualTo(firstText).isEqualTo("Once and only once.");
    }
    assertThat(stub.requests()).hasSize(1);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runWithStreamTrue_sameKeySameBody_streamsTheSameRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("input", Map.of("question", "hi"), "stream", true);

    String firstRun;
    try (StreamClient s = stream(with(bearer(org), key(k)), flowPath(org, "qa-raw") + "/run", body)) {
      firstRun = s.header("X-Run-Id");
      s.rest(WAIT);
    }
    try (StreamClient s = stream(with(bearer(org), key(k)), flowPath(org, "qa-raw") + "/run", body)) {
      assertThat(s.header("X-Run-Id")).isEqualTo(firstRun);
      JsonNode last = json(s.rest(WAIT).getLast().text());
      assertThat(last.path("type").asText()).isEqualTo("done");
      assertThat(last.path("run_id").asText()).isEqualTo(firstRun);
      assertThat(last.path("status").asText()).isEqualTo("completed");
    }
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void chatCompletions_sameKeySameBody_returnsTheSameCompletion() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    String k = newKey();
    Map<String, Object> body = Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "hi")));
    String path = flowPath(org, "qa-openai") + "/chat/completions";

    Http.Response first = http.post(path, org.token(), body, key(k));
    Http.Response retry = http.post(path, org.token(), body, key(k));

    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.header("X-Run-Id")).isEqualTo(first.header("X-Run-Id"));
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void chatCompletions_ofAFlowWithRawOutput_isCreatedWhenTheRunWasCreated_soARetryGetsTheSameBody() {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-stub", "raw");
    // Slow enough that the run ends in another second than it started.
    stub.enqueue(Reply.success("Slow answer.").withDelay(Duration.ofMillis(1500)));
    String k = newKey();
    Map<String, Object> body = Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "hi")));
    String path = flowPath(org, "qa-stub") + "/chat/completions";

    Http.Response first = http.post(path, org.token(), body, key(k));
    Http.Response retry = http.post(path, org.token(), body, key(k));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    long createdAt = OffsetDateTime.parse(run(org, first.header("X-Run-Id")).path("created_at").asText())
        .toEpochSecond();
    assertThat(first.json().path("created").asLong()).isEqualTo(createdAt);
    assertThat(retry.json()).isEqualTo(first.json());
  }

  @Test
  void flowRequest_sameKeySameBody_returnsTheSameRequest() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("body", Map.of("question", "hi"), "options", Map.of("flow_session_id", "s-1"));

    Http.Response first = http.post(flowRequestPath(org, "qa-raw"), org.token(), body, key(k));
    Http.Response retry = http.post(flowRequestPath(org, "qa-raw"), org.token(), body, key(k));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void flowRequestWithoutSession_sameKeySameBody_returnsTheSameSession() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("body", Map.of("question", "hi"));

    Http.Response first = http.post(flowRequestPath(org, "qa-raw"), org.token(), body, with(ASYNC, key(k)));
    Http.Response retry = http.post(flowRequestPath(org, "qa-raw"), org.token(), body, with(ASYNC, key(k)));

    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
    assertThat(retry.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
    assertThat(retry.json().path("flow_session_id").asText()).isEqualTo(first.json().path("flow_session_id").asText());
  }

  @Test
  void agentChat_sameKeySameBody_returnsTheSameTurnAndHoldsCreditsOnce() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("text", "Charge me once", "stream", false);

    Http.Response first = http.post("/agents/qa-raw/chat", org.token(), body, key(k));
    Http.Response retry = http.post("/agents/qa-raw/chat", org.token(), body, key(k));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.header("X-Run-Id")).isEqualTo(first.header("X-Run-Id"));
    assertThat(retry.json().path("content").asText()).isEqualTo(first.json().path("content").asText());
    assertThat(ledgerKinds(org)).containsExactly("charge", "release", "hold", "grant");
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void agentChatStream_sameKeySameBody_streamsTheSameTurnAndHoldsCreditsOnce() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("text", "Stream me once");

    String firstRun;
    try (StreamClient s = stream(with(Map.of("x-api-key", org.token()), key(k)), "/agents/qa-raw/chat", body)) {
      assertThat(s.status()).isEqualTo(200);
      firstRun = s.header("X-Run-Id");
      s.rest(WAIT);
    }
    try (StreamClient s = stream(with(Map.of("x-api-key", org.token()), key(k)), "/agents/qa-raw/chat", body)) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.header("X-Run-Id")).isEqualTo(firstRun);
      List<Sse> events = StreamClient.events(s.rest(WAIT));
      assertThat(events).extracting(Sse::event).contains("done");
      assertThat(events.getLast().event()).isEqualTo("flow_meta");
    }
    assertThat(ledgerKinds(org).stream().filter("hold"::equals)).hasSize(1);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void agentChatAsync_sameKeySameBody_returnsTheSameTurnAndHoldsCreditsOnce() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
    String k = newKey();
    Map<String, Object> body = Map.of("text", "Async once");

    Http.Response first = http.post("/agents/qa-raw/chat", org.token(), body, with(ASYNC, key(k)));
    Http.Response retry = http.post("/agents/qa-raw/chat", org.token(), body, with(ASYNC, key(k)));

    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
    assertThat(retry.json().path("run_id").asText()).isEqualTo(first.json().path("run_id").asText());
    settled(org, first.json().path("run_id").asText());
    assertThat(ledgerKinds(org).stream().filter("hold"::equals)).hasSize(1);
  }

  @Test
  void runAsync_concurrentRequestsWithTheSameKey_startOneRun() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String path = flowPath(org, "qa-raw") + "/run";
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Http.Response>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return http.post(path, org.token(), QUESTION, with(ASYNC, key(k)));
      }, Executors.newVirtualThreadPerTaskExecutor()));
    }

    go.countDown();

    Set<String> runIds = new HashSet<>();
    for (CompletableFuture<Http.Response> request : requests) {
      Http.Response r = request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      runIds.add(r.json().path("run_id").asText());
    }
    assertThat(runIds).hasSize(1);
    assertThat(runCount(org)).isEqualTo(1);
    assertThat(settled(org, runIds.iterator().next()).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void agentChat_concurrentRequestsWithTheSameKey_startOneTurnAndChargeOnce() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
    String k = newKey();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Http.Response>> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "Once", "stream", false), key(k));
      }, Executors.newVirtualThreadPerTaskExecutor()));
    }

    go.countDown();

    Set<String> runIds = new HashSet<>();
    for (CompletableFuture<Http.Response> request : requests) {
      Http.Response r = request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      runIds.add(r.header("X-Run-Id"));
    }
    assertThat(runIds).hasSize(1);
    assertThat(runCount(org)).isEqualTo(1);
    JsonNode credits = http.get("/api/v1/credits", org.token()).json();
    List<String> kinds = ledgerKinds(org);
    assertThat(kinds.stream().filter("charge"::equals)).hasSize(1);
    // Every hold but the turn's own was given back.
    assertThat(kinds.stream().filter("hold"::equals).count())
        .isEqualTo(kinds.stream().filter("release"::equals).count());
    java.math.BigDecimal charged = new java.math.BigDecimal("0");
    for (JsonNode row : credits.path("ledger")) {
      if (row.path("kind").asText().equals("charge")) charged = new java.math.BigDecimal(row.path("amount").asText());
    }
    assertThat(new java.math.BigDecimal(credits.path("balance").asText()))
        .isEqualByComparingTo(new java.math.BigDecimal("10").add(charged));
  }

  @Test
  void run_keyOfARequestRejectedAsInvalid_canStartARunLater() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();

    Http.Response invalid = run(org, k, Map.of("input", Map.of()));
    Http.Response valid = run(org, k, QUESTION);

    assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
    assertThat(valid.status()).as(valid.body()).isEqualTo(200);
    assertThat(runCount(org)).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------ another request

  @Test
  void run_sameKeyDifferentBody_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String firstRun = run(org, k, QUESTION).header("X-Run-Id");

    Http.Response r = run(org, k, OTHER_QUESTION);

    assertReused(r, firstRun);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runAsync_sameKeyDifferentBody_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String path = flowPath(org, "qa-raw") + "/run";
    String firstRun = http.post(path, org.token(), QUESTION, with(ASYNC, key(k))).json().path("run_id").asText();

    Http.Response r = http.post(path, org.token(), OTHER_QUESTION, with(ASYNC, key(k)));

    assertReused(r, firstRun);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void runStream_sameKeyDifferentBody_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String path = flowPath(org, "qa-raw") + "/run/stream";
    String firstRun;
    try (StreamClient s = stream(with(bearer(org), key(k)), path, QUESTION)) {
      firstRun = s.header("X-Run-Id");
      s.rest(WAIT);
    }

    try (StreamClient s = stream(with(bearer(org), key(k)), path, OTHER_QUESTION)) {
      assertThat(s.status()).isEqualTo(422);
      JsonNode error = body(s);
      assertThat(error.path("error").asText()).isEqualTo("idempotency_key_reused");
      assertThat(error.path("run_id").asText()).isEqualTo(firstRun);
    }
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void sameKeyAndBodyOnAnotherRoute_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String firstRun = run(org, k, QUESTION).header("X-Run-Id");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run/stream", org.token(), QUESTION, key(k));

    assertReused(r, firstRun);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void chatCompletions_sameKeyDifferentMessages_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    String k = newKey();
    String path = flowPath(org, "qa-openai") + "/chat/completions";
    String firstRun = http.post(path, org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "one"))), key(k)).header("X-Run-Id");

    Http.Response r = http.post(path, org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "two"))), key(k));

    assertReused(r, firstRun);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void flowRequest_sameKeyDifferentBody_returns422AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String k = newKey();
    String firstRun = http.post(flowRequestPath(org, "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "one")), key(k)).json().path("id").asText();

    Http.Response r = http.post(flowRequestPath(org, "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "two")), key(k));

    assertReused(r, firstRun);
    assertThat(runCount(org)).isEqualTo(1);
  }

  @Test
  void agentChat_sameKeyDifferentBody_returns422AndHoldsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
    String k = newKey();
    String firstRun = http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "one", "stream", false), key(k))
        .header("X-Run-Id");
    List<String> ledgerBefore = ledgerKinds(org);

    Http.Response r = http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "two", "stream", false), key(k));

    assertReused(r, firstRun);
    assertThat(ledgerKinds(org)).isEqualTo(ledgerBefore);
    assertThat(runCount(org)).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------------ bad keys

  @Test
  void run_withKeyLongerThan255Characters_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = run(org, "k".repeat(256), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(r.json().path("message").asText()).contains("Idempotency-Key");
    assertThat(runCount(org)).isZero();
  }

  @Test
  void run_withKeyOf255Characters_isAccepted() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = run(org, "k".repeat(255), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void run_withControlCharacterInKey_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = run(org, "abc\tdef", QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("message").asText()).contains("Idempotency-Key");
    assertThat(runCount(org)).isZero();
  }

  @Test
  void runAsync_withNonAsciiKey_returns400AndStartsNothing() throws IOException {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    // Java's HTTP client would send the key as ASCII ('?' for the accent): write the request's bytes ourselves.
    byte[] body = "{\"input\":{\"question\":\"hi\"}}".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(("POST " + flowPath(org, "qa-raw") + "/run HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + org.token() + "\r\nContent-Type: application/json\r\n"
        + "Prefer: respond-async\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n"
        + "Idempotency-Key: cl").getBytes(StandardCharsets.US_ASCII));
    request.write("\u00e9\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    request.write(body);
    String response;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(request.toByteArray());
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response).contains("Idempotency-Key");
    assertThat(runCount(org)).isZero();
  }

  @Test
  void agentChat_withTooLongKey_returns400AndHoldsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publish(org, "qa-raw");

    Http.Response r = http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "hi", "stream", false),
        key("k".repeat(256)));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(ledgerKinds(org)).containsExactly("grant");
    assertThat(runCount(org)).isZero();
  }

  // ------------------------------------------------------------------------------------------------ per org

  @Test
  void sameKeyInAnotherOrg_startsItsOwnRun() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    createExample(other, "qa-raw");
    String k = newKey();

    Http.Response mine = run(org, k, QUESTION);
    Http.Response theirs = run(other, k, QUESTION);

    assertThat(theirs.status()).as(theirs.body()).isEqualTo(200);
    assertThat(theirs.header("X-Run-Id")).isNotEqualTo(mine.header("X-Run-Id"));
    assertThat(runCount(org)).isEqualTo(1);
    assertThat(runCount(other)).isEqualTo(1);
  }

  @Test
  void sameKeyWithAnotherBodyInAnotherOrg_isNotAReuse() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    createExample(other, "qa-raw");
    String k = newKey();
    run(org, k, QUESTION);

    Http.Response theirs = run(other, k, OTHER_QUESTION);

    assertThat(theirs.status()).as(theirs.body()).isEqualTo(200);
    assertThat(runCount(other)).isEqualTo(1);
  }
}
