package io.durableflows.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.bootstrap.TemporalServerMain;
import io.durableflows.workers.WorkersApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The documented durable layout for tests: Temporal's test server, the API and the workers each in a JVM of its
 * own, an OpenAI stub as provider {@code stub}, and a bootstrap org with a known token; any process can be killed
 * and started again.
 */
public final class ProcessStack implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);
  public final String org;
  public final String token;
  public final OpenAiStubServer stub = OpenAiStubServer.start();
  private final Map<String, String> env;
  private final JavaProcess temporal;
  private JavaProcess api;
  private JavaProcess workers;
  private int apiPort;

  public ProcessStack(String database, String org, String token) throws Exception {
    this.org = org;
    this.token = token;
    int temporalPort = TestStack.freePort();
    temporal = JavaProcess.start("temporal", TemporalServerMain.class, Map.of(), String.valueOf(temporalPort))
        .awaitLog("Temporal test server ready", START);
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort,
        "DF_DATABASE_URL", TestStack.recreateDatabase(database),
        "DF_DATABASE_USER", "postgres",
        "DF_BOOTSTRAP_ORG", org,
        "DF_BOOTSTRAP_TOKEN", token);
  }

  public void startApi() throws Exception {
    apiPort = TestStack.freePort();
    api = JavaProcess.start("api", DurableFlowsApplication.class, env, "--server.port=" + apiPort)
        .awaitLog("Started DurableFlowsApplication", START);
  }

  public void startWorkers() throws Exception {
    workers = JavaProcess.start("workers", WorkersApplication.class, env,
            "--df.llm.providers.stub.kind=openai",
            "--df.llm.providers.stub.base-url=" + stub.baseUrl(),
            "--df.llm.providers.stub.api-key=sk-test",
            "--df.llm.providers.stub.default-model=gpt-4o-mini")
        .awaitLog("Started WorkersApplication", START);
  }

  public void killApi() throws InterruptedException {
    api.kill();
  }

  public void killWorkers() throws InterruptedException {
    workers.kill();
  }

  public Http http() {
    return new Http(apiPort);
  }

  public String base() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** examples/flows/qa-raw.json saved as {@code qa-stub}, its model call served by the stub. */
  public void createStubFlow() throws Exception {
    String doc = Files.readString(Path.of("..", "examples", "flows", "qa-raw.json"))
        .replace("\"slug\": \"qa-raw\"", "\"slug\": \"qa-stub\"")
        .replace("\"prompt\": \"{{input.question}}\"", "\"provider\": \"stub\", \"prompt\": \"{{input.question}}\"");
    Http.Response r = http().post("/api/v1/flows", token, doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Override
  public void close() throws Exception {
    for (JavaProcess p : new JavaProcess[] {api, workers, temporal}) if (p != null) p.close();
    stub.close();
  }
}
