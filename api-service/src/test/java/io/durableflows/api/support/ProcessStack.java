package io.durableflows.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.bootstrap.TemporalServerMain;
import io.durableflows.workers.WorkersApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documented durable layout for tests: Temporal's test server, the API and the workers each in a JVM of its
 * own, an OpenAI stub as provider {@code stub}, and a bootstrap org with a known token; any process can be killed
 * and started again.
 */
public final class ProcessStack implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");
  private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled", "lost");
  public final String org;
  public final String token;
  public final OpenAiStubServer stub = OpenAiStubServer.start();
  private final Map<String, String> env;
  private final String databaseUrl;
  /** Every process started, killed ones too: their logs tell what happened before a crash. */
  private final List<JavaProcess> started = new ArrayList<>();
  private JavaProcess api;
  private JavaProcess workers;
  private int apiPort;

  public ProcessStack(String database, String org, String token) throws Exception {
    this.org = org;
    this.token = token;
    int temporalPort = TestStack.freePort();
    track(JavaProcess.start("temporal", TemporalServerMain.class, Map.of(), String.valueOf(temporalPort)))
        .awaitLog("Temporal test server ready", START);
    // Scoped by DF_TEST_DATABASE like the other test databases: checkouts testing at once must not share it.
    String scope = System.getenv("DF_TEST_DATABASE");
    databaseUrl = TestStack.recreateDatabase(scope == null || scope.isBlank() ? database : scope + "_" + database);
    env = Map.of(
        "TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort,
        "DF_DATABASE_URL", databaseUrl,
        "DF_DATABASE_USER", "postgres",
        "DF_BOOTSTRAP_ORG", org,
        "DF_BOOTSTRAP_TOKEN", token);
  }

  private JavaProcess track(JavaProcess p) {
    started.add(p);
    return p;
  }

  public void startApi() throws Exception {
    apiPort = TestStack.freePort();
    api = track(JavaProcess.start("api", DurableFlowsApplication.class, env, "--server.port=" + apiPort))
        .awaitLog("Started DurableFlowsApplication", START);
  }

  /** The workers, with the stub as provider {@code stub}; {@code extraArgs} are more Spring arguments. */
  public void startWorkers(String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--df.llm.providers.stub.kind=openai",
        "--df.llm.providers.stub.base-url=" + stub.baseUrl(),
        "--df.llm.providers.stub.api-key=sk-test",
        "--df.llm.providers.stub.default-model=gpt-4o-mini"));
    args.addAll(List.of(extraArgs));
    workers = track(JavaProcess.start("workers", WorkersApplication.class, env, args.toArray(String[]::new)))
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

  // ------------------------------------------------------------------------------------------ flows and runs

  /** examples/flows/qa-raw.json saved as {@code qa-stub}, its model call served by the stub. */
  public void createStubFlow() throws Exception {
    createFlow(exampleFlow("qa-raw")
        .replace("\"slug\": \"qa-raw\"", "\"slug\": \"qa-stub\"")
        .replace("\"prompt\": \"{{input.question}}\"", "\"provider\": \"stub\", \"prompt\": \"{{input.question}}\""));
  }

  /** The text of examples/flows/{@code slug}.json. */
  public static String exampleFlow(String slug) throws IOException {
    return Files.readString(Path.of("..", "examples", "flows", slug + ".json"));
  }

  /** Saves a flow document (JSON text or a map) in the bootstrap org. */
  public void createFlow(Object document) {
    Http.Response r = http().post("/api/v1/flows", token, document);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Starts a run of the flow without waiting for it ({@code Prefer: respond-async}); returns its id. */
  public String startRun(String slug, Map<String, Object> input) {
    Http.Response r = http().post("/api/llm/" + org + "/flows/" + slug + "/run", token, Map.of("input", input), ASYNC);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("run_id").asText();
  }

  /** The run as GET /api/v1/runs/{id} shows it. */
  public JsonNode run(String runId) {
    Http.Response r = http().get("/api/v1/runs/" + runId, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** The run's one pending approval, once the run has asked for it. */
  public JsonNode awaitPendingApproval(String runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode data = http().get("/api/v1/approvals/pending?run=" + runId, token).json().path("data");
      if (!data.isEmpty()) return data.get(0);
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + " asked for no approval within " + timeout + ": " + run(runId));
  }

  /** Long-polls the run until it has ended (a run waiting for a person has not); returns it. */
  public JsonNode awaitEnd(String runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      Http.Response r = http().get("/api/v1/runs/" + runId + "/wait?timeout=10s", token);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      run = r.json();
      if (ENDED.contains(run.path("status").asText())) return run;
      if ("waiting".equals(run.path("status").asText())) Thread.sleep(200);
    }
    throw new AssertionError("run " + runId + " did not end within " + timeout + ": " + run);
  }

  // ------------------------------------------------------------------------------------------ database

  /** Rows of a query on the stack's database, column names to values, for what the API does not show. */
  public List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl, "postgres", "");
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
            row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  // ------------------------------------------------------------------------------------------ diagnostics

  /** The end of every process's log, killed processes included, oldest first: what to print when a test fails. */
  public String logTails() {
    StringBuilder out = new StringBuilder();
    for (JavaProcess p : started) {
      out.append("\n===== ").append(p.name()).append(" (").append(p.log()).append(") =====\n");
      try {
        out.append(p.tail());
      } catch (IOException e) {
        out.append("(log unreadable: ").append(e).append(")");
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws Exception {
    // Newest first: the API and the workers before the Temporal server they talk to.
    for (JavaProcess p : started.reversed()) p.close();
    stub.close();
  }
}
