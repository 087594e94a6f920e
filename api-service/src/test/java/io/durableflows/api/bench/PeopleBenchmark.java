package io.durableflows.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.support.Http;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./df bench people} (third part): what a pause for a person costs the machine, and how fast a cancel
 * stops a model call. In one JVM with its workers, side by side in one run:
 *
 * <ul>
 *   <li>a background run of a one-model-call flow (qa-raw) to its end, against the same flow behind an approval
 *       (approval-demo): start until the run shows it waits, the answer's round trip (the Respond update, the
 *       request's row written, the update completed), and the answer until the run has ended;
 *   <li>a streaming model call (the stub streams 400 tokens 10 ms apart) cancelled with {@code POST
 *       /api/v1/cancel/{run}}: time until the provider's connection is dropped, and until the cancel is answered.
 * </ul>
 * Prints figures; asserts nothing.
 */
public final class PeopleBenchmark {
  private static final int WARMUP = 10;
  private static final int SAMPLES = 100;
  private static final int CANCELS = 20;
  private static final String TOKEN = "df_bench_people_token_0123456789abcdef";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final OpenAiStubServer stub = OpenAiStubServer.start();
  private Http http;

  private PeopleBenchmark() {}

  public static void main(String[] args) {
    BenchApp.main(() -> new PeopleBenchmark().run());
  }

  private void run() throws Exception {
    BenchApp.configure("durableflows_bench_people", TOKEN, stub);
    System.setProperty("df.workers.embedded", "true");
    try (ConfigurableApplicationContext ctx = new SpringApplication(DurableFlowsApplication.class).run()) {
      http = new Http(((WebServerApplicationContext) ctx).getWebServer().getPort());
      for (String slug : List.of("qa-raw", "approval-demo")) check(http.post("/api/v1/flows", TOKEN, example(slug)), 201);
      check(http.post("/api/v1/flows", TOKEN, example("qa-raw").replace("\"slug\": \"qa-raw\"", "\"slug\": \"slow\"")
          .replace("\"prompt\": \"{{input.question}}\"", "\"provider\": \"stub\", \"prompt\": \"{{input.question}}\"")),
          201);
      System.out.printf("%nDurable Flows people benchmark (%d cores, JDK %s; workers in the API's JVM; offline model;"
              + " %d samples after %d warm-up, interleaved)%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), SAMPLES, WARMUP);
      pauses();
      cancels();
    }
    stub.close();
  }

  private void pauses() throws Exception {
    long[] plain = new long[SAMPLES];
    long[] untilWaiting = new long[SAMPLES];
    long[] answer = new long[SAMPLES];
    long[] untilDone = new long[SAMPLES];
    for (int i = -WARMUP; i < SAMPLES; i++) {
      long t0 = System.nanoTime();
      String runId = startAsync("qa-raw");
      awaitStatus(runId, "completed");
      long t1 = System.nanoTime();
      String paused = startAsync("approval-demo");
      JsonNode waiting = awaitStatus(paused, "waiting");
      long t2 = System.nanoTime();
      String approval = waiting.path("waiting_for").get(0).path("id").asText();
      check(http.post("/api/v1/approvals/" + approval + "/respond", TOKEN, Map.of("decision", "approve")), 200);
      long t3 = System.nanoTime();
      awaitStatus(paused, "completed");
      long t4 = System.nanoTime();
      if (i < 0) continue;
      plain[i] = t1 - t0;
      untilWaiting[i] = t2 - t1;
      answer[i] = t3 - t2;
      untilDone[i] = t4 - t3;
    }
    long[] paused = new long[SAMPLES];
    long[] overhead = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      paused[i] = untilWaiting[i] + answer[i] + untilDone[i];
      overhead[i] = paused[i] - plain[i];
    }
    System.out.println("  a run paused for an approval, against the same model call without one (background runs,"
        + " followed with /wait; the person's own time left out)");
    line("qa-raw, start to completed", plain);
    line("approval-demo, start to waiting", untilWaiting);
    line("  POST respond (update round trip)", answer);
    line("  answered to completed", untilDone);
    line("  all but the person's time", paused);
    // Each pair ran back to back, so their difference is what the pause cost on the same machine state.
    line("pause overhead, per pair (approval-demo - qa-raw)", overhead);
  }

  private void cancels() throws Exception {
    String[] tokens = new String[400];
    for (int i = 0; i < tokens.length; i++) tokens[i] = "w" + i + " ";
    long[] dropped = new long[CANCELS];
    long[] answered = new long[CANCELS];
    for (int i = -3; i < CANCELS; i++) {
      stub.reset();
      stub.enqueue(Reply.streamed(tokens).withChunkDelay(Duration.ofMillis(10)));
      HttpResponse<InputStream> stream = CLIENT.send(HttpRequest.newBuilder(
              URI.create(http.base() + "/api/llm/bench/flows/slow/run/stream"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"question\":\"cancel me\"}}")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      String runId = stream.headers().firstValue("X-Run-Id").orElseThrow();
      // Let the model stream for a while first: the cancel must reach a call that is busy.
      byte[] buffer = new byte[8192];
      long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
      while (System.nanoTime() < until && stream.body().read(buffer) >= 0) {
        Thread.onSpinWait();
      }
      long t0 = System.nanoTime();
      check(http.post("/api/v1/cancel/" + runId, TOKEN, Map.of()), 200);
      long t1 = System.nanoTime();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (stub.streamsCutShortAtNanos().isEmpty() && System.nanoTime() < deadline) Thread.sleep(2);
      stream.body().transferTo(java.io.OutputStream.nullOutputStream());
      if (stub.streamsCutShortAtNanos().isEmpty()) throw new IllegalStateException("the model call was not stopped");
      if (i < 0) continue;
      dropped[i] = stub.streamsCutShortAtNanos().getFirst() - t0;
      answered[i] = t1 - t0;
    }
    System.out.println("  cancelling a streaming model call (POST /api/v1/cancel/{run} while the stub streams)");
    line("cancel to provider connection dropped", dropped);
    line("cancel answered (run recorded cancelled)", answered);
  }

  private static void line(String label, long[] nanos) {
    System.out.printf("    %-50s p50 %8.1f ms  p99 %8.1f ms%n", label, Percentiles.ms(nanos, 50),
        Percentiles.ms(nanos, 99));
  }

  private String startAsync(String slug) {
    Http.Response r = http.post("/api/llm/bench/flows/" + slug + "/run", TOKEN,
        Map.of("input", Map.of("question", "bench?")), Map.of("Prefer", "respond-async"));
    check(r, 202);
    return r.json().path("run_id").asText();
  }

  private JsonNode awaitStatus(String runId, String status) {
    for (int i = 0; i < 100; i++) {
      JsonNode run = http.get("/api/v1/runs/" + runId + "/wait?timeout=30s", TOKEN).json();
      if (run.path("status").asText().equals(status)) return run;
      if (!run.path("status").asText().equals("running")) {
        throw new IllegalStateException("run " + runId + " is " + run.path("status").asText() + ", not " + status);
      }
    }
    throw new IllegalStateException("run " + runId + " never became " + status);
  }

  private static String example(String slug) throws Exception {
    Path file = Path.of("examples", "flows", slug + ".json");
    return Files.readString(Files.exists(file) ? file : Path.of("..").resolve(file));
  }

  private static void check(Http.Response r, int status) {
    if (r.status() != status) throw new IllegalStateException("expected " + status + ", got " + r);
  }
}
