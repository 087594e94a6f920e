package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.ProcessStack;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented durable layout: Temporal's test server in its own process, the API and the workers in theirs.
 * Killing (SIGKILL) the API or the workers loses no run.
 */
class DurabilityTest {
  private static final String TOKEN = "df_durability_test_token_0123456789";
  private ProcessStack stack;
  private OpenAiStubServer stub;

  @BeforeEach
  void startTemporalAndStub() throws Exception {
    stack = new ProcessStack("durableflows_durability", "dura", TOKEN);
    stub = stack.stub;
  }

  @AfterEach
  void stopAll() throws Exception {
    stack.close();
  }

  private static final Map<String, Object> INPUT = Map.of("input", Map.of("question", "still there?"));

  private JsonNode onlyRun(Http http) {
    JsonNode runs = http.get("/api/v1/runs", TOKEN).json().path("data");
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  @Test
  void killingTheApiMidRun_losesNothing_andTheRunCompletes() throws Exception {
    stack.startApi();
    stack.startWorkers();
    Http http = stack.http();
    stack.createStubFlow();
    stub.enqueue(Reply.success("survived the API crash").withDelay(Duration.ofSeconds(4)));
    CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(
        () -> http.post("/api/llm/dura/flows/qa-stub/run", TOKEN, INPUT));
    while (stub.requests().isEmpty()) Thread.sleep(50);

    stack.killApi();
    assertThat(call).failsWithin(10, TimeUnit.SECONDS);
    stack.startApi();
    Http restarted = stack.http();

    String status = "running";
    for (int i = 0; i < 100 && status.equals("running"); i++) {
      Thread.sleep(200);
      status = onlyRun(restarted).path("status").asText();
    }
    assertThat(status).isEqualTo("completed");
    String runId = onlyRun(restarted).path("id").asText();
    assertThat(restarted.get("/api/v1/runs/" + runId, TOKEN).json().path("output").asText())
        .isEqualTo("survived the API crash");
    assertThat(stub.requests()).as("the model was called once").hasSize(1);
  }

  @Test
  void killingTheWorkers_parksRunsUntilWorkersReturn() throws Exception {
    stack.startApi();
    stack.startWorkers();
    Http http = stack.http();
    stack.createStubFlow();
    stack.killWorkers();

    stub.enqueue(Reply.success("picked up by the new workers"));
    CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(
        () -> http.post("/api/llm/dura/flows/qa-stub/run", TOKEN, INPUT));
    Thread.sleep(1500);
    assertThat(call).isNotDone();
    assertThat(onlyRun(http).path("status").asText()).isEqualTo("running");

    stack.startWorkers();
    Http.Response r = call.get(60, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("picked up by the new workers");
    assertThat(onlyRun(http).path("status").asText()).isEqualTo("completed");
  }
}
