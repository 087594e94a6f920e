package io.durableflows.api.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class BatchRoutesTest extends ApiTest {
  @Autowired
  JdbcClient jdbc;

  @Autowired
  LostBatchSweeper sweeper;

  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Set<String> ENDED = Set.of("completed", "cancelled", "failed");

  /** examples/flows/qa-raw.json as {@code qa-stub}, its model call served by the stub. */
  private void createStubFlow(TestOrg org) {
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", "qa-stub");
    node(doc, "answer").put("provider", "stub");
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private JsonNode create(TestOrg org, Map<String, Object> body) {
    Http.Response r = http.post("/api/v1/batches", org.token(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json();
  }

  private JsonNode batch(TestOrg org, String id) {
    Http.Response r = http.get("/api/v1/batches/" + id, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private JsonNode awaitEnd(TestOrg org, String id) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonNode b = batch(org, id);
      if (ENDED.contains(b.path("status").asText())) return b;
      if (System.nanoTime() > deadline) throw new AssertionError("batch did not end: " + b);
      Thread.sleep(100);
    }
  }

  private JsonNode awaitDone(TestOrg org, String id, int done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonNode b = batch(org, id);
      if (b.path("done").asInt() >= done) return b;
      if (System.nanoTime() > deadline) throw new AssertionError("fewer than " + done + " items done: " + b);
      Thread.sleep(50);
    }
  }

  private JsonNode output(TestOrg org, String id, String query) {
    Http.Response r = http.get("/api/v1/batches/" + id + "/output" + query, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Map<String, Object> body(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }

  /** 300 texts to summarise; every tenth is empty, which summarize refuses. */
  private static List<Object> texts(int n) {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < n; i++) items.add(i % 10 == 9 ? "" : "Item " + i + " is about durable workflows and batches.");
    return items;
  }

  @Test
  void operationBatch_ofThreeHundredItems_withSomeBad_completesAndRecordsEachFailure() throws Exception {
    TestOrg org = newOrg();

    JsonNode created = create(org, body("operation", "summarize", "items", texts(300), "concurrency", 8));

    assertThat(created.path("id").asText()).startsWith("bat_");
    assertThat(created.path("total").asInt()).isEqualTo(300);
    JsonNode done = awaitEnd(org, created.path("id").asText());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("done").asInt()).isEqualTo(300);
    assertThat(done.path("completed").asInt()).isEqualTo(270);
    assertThat(done.path("failed").asInt()).isEqualTo(30);
    assertThat(done.path("percent").asDouble()).isEqualTo(100.0);
    assertThat(done.path("eta_seconds").asLong()).isZero();
    assertThat(done.path("finished_at").isNull()).isFalse();
    JsonNode page = output(org, created.path("id").asText(), "?page_size=10").path("data");
    assertThat(page).hasSize(10);
    assertThat(page.get(0).path("status").asText()).isEqualTo("completed");
    assertThat(page.get(0).path("output").isNull()).isFalse();
    assertThat(page.get(9).path("status").asText()).isEqualTo("failed");
    assertThat(page.get(9).path("error").asText()).isEqualTo("invalid_item");
    assertThat(page.get(9).path("message").asText()).isNotBlank();
  }

  @Test
  void flowBatch_fromAFile_runsEachRowAsAChildRun_andAFailedRunFailsOnlyItsItem() throws Exception {
    TestOrg org = newOrg();
    createStubFlow(org);
    StringBuilder csv = new StringBuilder("question\n");
    for (int i = 0; i < 20; i++) csv.append("question ").append(i).append('\n');
    String fileId = http.postRaw("/api/v1/files", org.token(), "text/csv", csv.toString()).json().path("id").asText();
    for (int i = 0; i < 3; i++) stub.enqueue(Reply.error(400, "bad request", "invalid_request_error", null));

    JsonNode created = create(org, body("flow", "qa-stub", "file_id", fileId, "concurrency", 4));

    JsonNode done = awaitEnd(org, created.path("id").asText());
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("flow").asText()).isEqualTo("qa-stub");
    assertThat(done.path("completed").asInt()).isEqualTo(17);
    assertThat(done.path("failed").asInt()).isEqualTo(3);
    JsonNode items = output(org, created.path("id").asText(), "").path("data");
    assertThat(items).hasSize(20);
    for (JsonNode item : items) {
      String runId = item.path("run_id").asText();
      JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
      assertThat(run.path("status").asText()).isEqualTo(item.path("status").asText());
      if (item.path("status").asText().equals("completed")) {
        assertThat(item.path("output").asText()).isEqualTo("Echo: question " + item.path("idx").asInt());
      } else {
        assertThat(item.path("error").asText()).isEqualTo("run_failed");
      }
    }
  }

  @Test
  void output_inJsonlAndCsv_pagedInItemOrder() throws Exception {
    TestOrg org = newOrg();
    String id = create(org, body("operation", "summarize", "items", texts(25))).path("id").asText();
    awaitEnd(org, id);

    Http.Response jsonl = http.get("/api/v1/batches/" + id + "/output?format=jsonl&page=2&page_size=10", org.token());
    Http.Response csv = http.get("/api/v1/batches/" + id + "/output?format=csv&page=3&page_size=10", org.token());
    JsonNode last = output(org, id, "?page=3&page_size=10");

    assertThat(jsonl.header("Content-Type")).startsWith("application/x-ndjson");
    String[] lines = jsonl.body().split("\n");
    assertThat(lines).hasSize(10);
    assertThat(Http.JSON.readTree(lines[0]).path("idx").asInt()).isEqualTo(10);
    assertThat(Http.JSON.readTree(lines[9]).path("idx").asInt()).isEqualTo(19);
    assertThat(Http.JSON.readTree(lines[9]).path("status").asText()).isEqualTo("failed");
    assertThat(jsonl.header("Link")).contains("page=3");
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    String[] rows = csv.body().split("\r\n");
    assertThat(rows[0]).isEqualTo("idx,status,input,output,error,message,run_id");
    assertThat(rows).hasSize(6);
    assertThat(rows[1]).startsWith("20,completed,");
    assertThat(last.path("has_more").asBoolean()).isFalse();
    assertThat(last.path("data")).hasSize(5);
    assertThat(output(org, id, "?page=4&page_size=10").path("data")).isEmpty();
  }

  @Test
  void output_whileRunning_showsFinishedItemsWithOutputAndTheRestPending() throws Exception {
    TestOrg org = newOrg();
    for (int i = 0; i < 6; i++) stub.enqueue(Reply.success(null).withDelay(Duration.ofSeconds(i < 2 ? 0 : 3)));
    String id = create(org, body("operation", "chat", "provider", "stub", "concurrency", 1,
        "items", List.of("a", "b", "c", "d", "e", "f"))).path("id").asText();
    awaitDone(org, id, 1);

    JsonNode page = output(org, id, "");

    assertThat(page.path("status").asText()).isEqualTo("running");
    assertThat(page.path("data")).hasSize(6);
    assertThat(page.path("data").get(0).path("status").asText()).isEqualTo("completed");
    assertThat(page.path("data").get(5).path("status").asText()).isEqualTo("pending");
    assertThat(page.path("data").get(5).path("output").isNull()).isTrue();
    JsonNode progress = batch(org, id);
    assertThat(progress.path("percent").asDouble()).isBetween(1.0, 99.9);
    assertThat(progress.path("eta_seconds").isNumber()).isTrue();
    awaitEnd(org, id);
  }

  @Test
  void cancel_midBatch_endsCancelled_andFinishedItemsKeepTheirOutput() throws Exception {
    TestOrg org = newOrg();
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add("question " + i);
      stub.enqueue(Reply.success(null).withDelay(Duration.ofMillis(i < 2 ? 0 : 2000)));
    }
    String id = create(org, body("operation", "chat", "provider", "stub", "concurrency", 2, "items", items))
        .path("id").asText();
    awaitDone(org, id, 1);

    Http.Response cancel = http.post("/api/v1/batches/" + id + "/cancel", org.token(), Map.of());

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    JsonNode ended = awaitEnd(org, id);
    assertThat(ended.path("status").asText()).isEqualTo("cancelled");
    int completed = ended.path("completed").asInt();
    assertThat(completed).isPositive();
    assertThat(ended.path("cancelled").asInt()).isPositive();
    assertThat(completed + ended.path("failed").asInt() + ended.path("cancelled").asInt()).isEqualTo(20);
    JsonNode data = output(org, id, "").path("data");
    int withOutput = 0;
    for (JsonNode item : data) {
      if (item.path("status").asText().equals("completed")) {
        withOutput++;
        assertThat(item.path("output").toString()).contains("question " + item.path("idx").asInt());
      } else {
        assertThat(item.path("status").asText()).isIn("cancelled", "failed");
      }
    }
    assertThat(withOutput).isEqualTo(completed);
    assertThat(batch(org, id).path("completed").asInt()).as("nothing finishes after the cancel").isEqualTo(completed);
  }

  @Test
  void operationItem_failingOnce_isRetriedWithItsChunk_andDoneItemsAreNotAskedAgain() throws Exception {
    TestOrg org = newOrg();
    // One item at a time, so the stub answers the items in order: the second fails once with a 503.
    stub.enqueue(Reply.success(null), Reply.error(503), Reply.success(null), Reply.success(null));

    String id = create(org, body("operation", "chat", "provider", "stub", "concurrency", 1,
        "items", List.of("first", "second", "third"))).path("id").asText();

    JsonNode ended = awaitEnd(org, id);
    assertThat(ended.path("completed").asInt()).as(ended.toString()).isEqualTo(3);
    assertThat(stub.requests()).as("the retried chunk asked only for the item that failed").hasSize(4);
    assertThat(output(org, id, "").path("data").get(1).path("output").toString()).contains("Echo: second");
  }

  @Test
  void operationItem_failingOnEveryAttempt_isRecordedFailed_andTheBatchCompletes() throws Exception {
    TestOrg org = newOrg();
    // The first item is answered; the other two get a 503 on each of the chunk's three attempts.
    stub.enqueue(Reply.success(null));
    for (int i = 0; i < 6; i++) stub.enqueue(Reply.error(503));

    String id = create(org, body("operation", "chat", "provider", "stub", "concurrency", 1,
        "items", List.of("first", "second", "third"))).path("id").asText();

    JsonNode ended = awaitEnd(org, id);
    assertThat(ended.path("status").asText()).isEqualTo("completed");
    assertThat(ended.path("completed").asInt()).as(ended.toString()).isEqualTo(1);
    assertThat(ended.path("failed").asInt()).isEqualTo(2);
    assertThat(stub.requests()).hasSize(7);
    JsonNode second = output(org, id, "").path("data").get(1);
    assertThat(second.path("status").asText()).isEqualTo("failed");
    assertThat(second.path("error").asText()).isEqualTo("provider_unavailable");
  }

  @Test
  void batchUnknownToTemporal_isMarkedFailedAtStart_finishedItemsKeepTheirOutput() throws Exception {
    TestOrg org = newOrg();
    String id = create(org, body("operation", "summarize", "items", texts(3))).path("id").asText();
    awaitEnd(org, id);
    // As after a restart of the in-memory Temporal server: the row says running, its workflow is unknown.
    jdbc.sql("update batches set status = 'running', finished_at = null, workflow_id = 'batch/gone/' || id,"
        + " created_at = now() - interval '2 minutes' where id = :id").param("id", id).update();
    jdbc.sql("update batch_items set status = 'pending', output = null where batch_id = :id and idx = 2")
        .param("id", id).update();

    sweeper.sweep();

    JsonNode swept = batch(org, id);
    assertThat(swept.path("status").asText()).isEqualTo("failed");
    assertThat(swept.path("error_message").asText()).startsWith("lost");
    JsonNode items = output(org, id, "").path("data");
    assertThat(items.get(0).path("status").asText()).isEqualTo("completed");
    assertThat(items.get(2).path("status").asText()).isEqualTo("failed");
    assertThat(items.get(2).path("error").asText()).isEqualTo("lost");
  }

  @Test
  void cancel_aFinishedBatch_returns409() throws Exception {
    TestOrg org = newOrg();
    String id = create(org, body("operation", "summarize", "items", texts(3))).path("id").asText();
    awaitEnd(org, id);

    Http.Response r = http.post("/api/v1/batches/" + id + "/cancel", org.token(), Map.of());

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("batch_finished");
  }

  @Test
  void anotherOrg_getsNotFound_onEveryRoute() throws Exception {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    String id = create(owner, body("operation", "summarize", "items", texts(3))).path("id").asText();

    assertThat(http.get("/api/v1/batches/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/batches/" + id + "/output", other.token()).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/batches/" + id + "/cancel", other.token(), Map.of()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/batches", other.token()).json().path("data")).isEmpty();
    awaitEnd(owner, id);
  }

  @Test
  void create_withAnotherOrgsFile_returns400AndCreatesNothing() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    String fileId = http.postRaw("/api/v1/files", owner.token(), "text/csv", "question\nhi\n").json()
        .path("id").asText();

    Http.Response r = http.post("/api/v1/batches", other.token(), body("operation", "summarize", "file_id", fileId));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("file_id");
    assertThat(http.get("/api/v1/batches", other.token()).json().path("data")).isEmpty();
  }

  @Test
  void create_withBadFields_returns400WithDetailsAndCreatesNothing() {
    TestOrg org = newOrg();

    Http.Response both = http.post("/api/v1/batches", org.token(),
        body("operation", "summarize", "flow", "qa-stub", "items", List.of("a")));
    Http.Response noItems = http.post("/api/v1/batches", org.token(), body("operation", "summarize", "items", List.of()));
    Http.Response unknownOperation = http.post("/api/v1/batches", org.token(),
        body("operation", "translate", "items", List.of("a"), "concurrency", 0));
    Http.Response badOptions = http.post("/api/v1/batches", org.token(),
        body("operation", "label", "items", List.of("a")));
    Http.Response unknownFlow = http.post("/api/v1/batches", org.token(), body("flow", "nope", "items", List.of(Map.of())));

    for (Http.Response r : List.of(both, noItems, unknownOperation, badOptions, unknownFlow)) {
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("invalid_batch");
      assertThat(r.json().path("details")).isNotEmpty();
    }
    assertThat(unknownOperation.body()).contains("operation").contains("concurrency");
    assertThat(badOptions.body()).contains("options.categories");
    assertThat(http.get("/api/v1/batches", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void flowBatch_withItemsThatDoNotFitTheFlowsInput_returns400NamingEachItem() {
    TestOrg org = newOrg();
    createStubFlow(org);

    Http.Response r = http.post("/api/v1/batches", org.token(), body("flow", "qa-stub",
        "items", List.of(Map.of("question", "ok"), Map.of("tone", "plain"), "not an object")));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error_count").asInt()).isEqualTo(2);
    assertThat(r.json().path("details").get(0).path("field").asText()).startsWith("items[1]");
    assertThat(r.json().path("details").get(1).path("field").asText()).isEqualTo("items[2]");
    assertThat(http.get("/api/v1/batches", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void list_showsTheOrgsBatchesWithProgress() throws Exception {
    TestOrg org = newOrg();
    String id = create(org, body("operation", "summarize", "items", texts(2))).path("id").asText();
    awaitEnd(org, id);

    JsonNode data = http.get("/api/v1/batches", org.token()).json().path("data");

    assertThat(data).hasSize(1);
    assertThat(data.get(0).path("id").asText()).isEqualTo(id);
    assertThat(data.get(0).path("done").asInt()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"format=xml", "page=0", "page_size=0", "page_size=10001"})
  void output_withBadQuery_returns400(String query) throws InterruptedException {
    TestOrg org = newOrg();
    String id = create(org, body("operation", "summarize", "items", texts(3))).path("id").asText();
    awaitEnd(org, id);

    assertError(http.get("/api/v1/batches/" + id + "/output?" + query, org.token()), 400, "invalid_request");
  }
}
