package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.bootstrap.TemporalServerMain;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.JavaProcess;
import io.durableflows.api.support.TestStack;
import io.durableflows.workers.WorkersApplication;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static final Duration START = Duration.ofSeconds(90);
  private JavaProcess temporal;
  private JavaProcess api;
  private JavaProcess workers;
  private OpenAiStubServer stub;
  private Map<String, String> env;
  private int apiPort;

  @BeforeEach
  void startTemporalAndStub() throws Exception {
    int temporalPort = TestStack.freePort();
    stub = OpenAiStubServer.start();
    temporal = JavaProcess.start("temporal", TemporalServerMain.class, Map.of(), String.valueOf(temporalPort))
        .awaitLog("Temporal test server ready", START);
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort,
        "DF_DATABASE_URL", TestStack.recreateDatabase("durableflows_durability"),
        "DF_DATABASE_USER", "postgres",
        "DF_BOOTSTRAP_ORG", "dura",
        "DF_BOOTSTRAP_TOKEN", TOKEN);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (JavaProcess p : new JavaProcess[] {api, workers, temporal}) if (p != null) p.close();
    stub.close();
  }

  private JavaProcess startApi() throws Exception {
    apiPort = TestStack.freePort();
    return JavaProcess.start("api", DurableFlowsApplication.class, env, "--server.port=" + apiPort)
        .awaitLog("Started DurableFlowsApplication", START);
  }

  private JavaProcess startWorkers() throws Exception {
    return JavaProcess.start("workers", WorkersApplication.class, env,
            "--df.llm.providers.stub.kind=openai",
            "--df.llm.providers.stub.base-url=" + stub.baseUrl(),
            "--df.llm.providers.stub.api-key=sk-test",
            "--df.llm.providers.stub.default-model=gpt-4o-mini")
        .awaitLog("Started WorkersApplication", START);
  }

  private void createStubFlow(Http http) throws Exception {
    String doc = Files.readString(Path.of("..", "examples", "flows", "qa-raw.json"))
        .replace("\"slug\": \"qa-raw\"", "\"slug\": \"qa-stub\"")
        .replace("\"prompt\": \"{{input.question}}\"", "\"provider\": \"stub\", \"prompt\": \"{{input.question}}\"");
    Http.Response r = http.post("/api/v1/flows", TOKEN, doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static final Map<String, Object> INPUT = Map.of("input", Map.of("question", "still there?"));

  private JsonNode onlyRun(Http http) {
    JsonNode runs = http.get("/api/v1/runs", TOKEN).json().path("data");
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  @Test
  void killingTheApiMidRun_losesNothing_andTheRunCompletes() throws Exception {
    api = startApi();
    workers = startWorkers();
    Http http = new Http(apiPort);
    createStubFlow(http);
    stub.enqueue(Reply.success("survived the API crash").withDelay(Duration.ofSeconds(4)));
    CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(
        () -> http.post("/api/llm/dura/flows/qa-stub/run", TOKEN, INPUT));
    while (stub.requests().isEmpty()) Thread.sleep(50);

    api.kill();
    assertThat(call).failsWithin(10, TimeUnit.SECONDS);
    api = startApi();
    Http restarted = new Http(apiPort);

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
    api = startApi();
    workers = startWorkers();
    Http http = new Http(apiPort);
    createStubFlow(http);
    workers.kill();

    stub.enqueue(Reply.success("picked up by the new workers"));
    CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(
        () -> http.post("/api/llm/dura/flows/qa-stub/run", TOKEN, INPUT));
    Thread.sleep(1500);
    assertThat(call).isNotDone();
    assertThat(onlyRun(http).path("status").asText()).isEqualTo("running");

    workers = startWorkers();
    Http.Response r = call.get(60, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("picked up by the new workers");
    assertThat(onlyRun(http).path("status").asText()).isEqualTo("completed");
  }
}
