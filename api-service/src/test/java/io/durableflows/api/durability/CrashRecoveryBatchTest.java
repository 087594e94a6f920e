package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.PrintLogsOnFailure;
import io.durableflows.api.support.ProcessStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workers SIGKILLed in the middle of a batch: Temporal notices the silent chunk by its heartbeat timeout and
 * retries it on the restarted workers, which skip the items the killed chunk had recorded. Every item ends with
 * its own output, once.
 */
class CrashRecoveryBatchTest {
  private static final String TOKEN = "df_crash_batch_test_token_0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(180);
  private static final int ITEMS = 200;
  private static final int CONCURRENCY = 8;
  private ProcessStack stack;

  @RegisterExtension
  final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> stack);

  @BeforeEach
  void start() throws Exception {
    stack = new ProcessStack("durableflows_crash_batch", "crashbatch", TOKEN);
    stack.startApi();
    stack.startWorkers();
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  @Test
  void workersKilledMidBatch_noItemIsLost_noneIsDuplicated_andDoneItemsAreNotAskedAgain() throws Exception {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      items.add("item " + i);
      // The stub echoes each item, a little late, so the batch is still going when the workers die.
      stack.stub.enqueue(Reply.success(null).withDelay(Duration.ofMillis(300)));
    }
    Http http = stack.http();
    Http.Response created = http.post("/api/v1/batches", TOKEN,
        Map.of("operation", "chat", "provider", "stub", "items", items, "concurrency", CONCURRENCY));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().path("id").asText();
    awaitDone(http, id, 40);

    stack.killWorkers();
    JsonNode meanwhile = batch(http, id);
    assertThat(meanwhile.path("status").asText()).isEqualTo("running");
    assertThat(meanwhile.path("done").asInt()).as(meanwhile.toString()).isLessThan(ITEMS);

    stack.startWorkers();
    JsonNode ended = awaitEnd(http, id);

    assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("completed");
    assertThat(ended.path("completed").asInt()).as(ended.toString()).isEqualTo(ITEMS);
    JsonNode data = http.get("/api/v1/batches/" + id + "/output?page_size=" + ITEMS, TOKEN).json().path("data");
    assertThat(data).hasSize(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      JsonNode item = data.get(i);
      assertThat(item.path("idx").asInt()).isEqualTo(i);
      assertThat(item.path("status").asText()).isEqualTo("completed");
      assertThat(item.path("output").toString()).as("item %d has its own answer", i).contains("item " + i + "\"");
    }
    List<Map<String, Object>> rows = stack.query(
        "select count(*) as n, count(distinct idx) as distinct_items from batch_items where batch_id = ?", id);
    assertThat(rows.get(0)).containsEntry("n", (long) ITEMS).containsEntry("distinct_items", (long) ITEMS);
    assertThat(stack.stub.requests().size())
        .as("only the items in flight when the workers died were asked twice")
        .isBetween(ITEMS, ITEMS + CONCURRENCY);
  }

  private static JsonNode batch(Http http, String id) {
    Http.Response r = http.get("/api/v1/batches/" + id, TOKEN);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static void awaitDone(Http http, String id, int done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (batch(http, id).path("done").asInt() < done) {
      if (System.nanoTime() > deadline) throw new AssertionError("fewer than " + done + " items done");
      Thread.sleep(50);
    }
  }

  private static JsonNode awaitEnd(Http http, String id) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonNode b = batch(http, id);
      if (Set.of("completed", "cancelled", "failed").contains(b.path("status").asText())) return b;
      if (System.nanoTime() > deadline) throw new AssertionError("the batch did not end: " + b);
      Thread.sleep(200);
    }
  }
}
