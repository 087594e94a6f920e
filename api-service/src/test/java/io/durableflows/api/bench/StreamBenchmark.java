package io.durableflows.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.JavaProcess;
import io.durableflows.api.support.TestStack;
import io.durableflows.workers.WorkersApplication;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./df bench} (second part): token streaming through the run workflow vs. reading the stub provider
 * directly, side by side in one run. The stub streams fixed-width tokens at a fixed pace; for every route we
 * measure time to first token and each token's arrival against the direct read, first with the workers in the
 * API's JVM, then with the workers in another process. Then: history events of a 1000-token answer, and 1000
 * concurrent SSE streams on this API instance. Prints figures; asserts nothing.
 */
public final class StreamBenchmark {
  private static final int TOKENS = 100;
  private static final Duration GAP = Duration.ofMillis(10);
  private static final int ROUNDS = 12;
  private static final int WARMUP_ROUNDS = 3;
  private static final Duration SETTLE = Duration.ofMillis(300);
  private static final int LONG_TOKENS = 1000;
  private static final int STREAMS = 1000;
  private static final int STREAM_TOKENS = 10;
  private static final Duration STREAM_GAP = Duration.ofMillis(200);
  private static final String TOKEN = "df_bench_streams_token_0123456789abcdef";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private StreamBenchmark() {}

  public static void main(String[] args) {
    BenchApp.main(() -> new StreamBenchmark().run());
  }

  /** One streaming route: how to call it and how to find the answer's text in its lines. */
  private record Route(String name, String path, String body, Map<String, String> headers, Extractor extractor) {}

  /** Pulls answer text out of a protocol's lines; stateful per stream (SSE event names precede data). */
  private interface Extractor {
    String content(String line, String[] lastEvent);
  }

  private final OpenAiStubServer stub = OpenAiStubServer.start();

  private static String[] tokens(int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) out[i] = String.format("w%04d ", i % 10000);
    return out;
  }

  private void run() throws Exception {
    BenchApp.configure("durableflows_bench_streams", TOKEN, stub);
    int temporalPort = TestStack.temporalPort();
    String db = System.getProperty("spring.datasource.url");
    System.setProperty("df.credits.initial-balance", "1000000");
    System.setProperty("df.llm.providers.stub.timeout", "120s");

    System.out.printf("%nDurable Flows streaming benchmark (%d cores, JDK %s; stub: %d tokens %d ms apart;"
            + " %d rounds per route after %d warm-up, interleaved with direct reads, %d ms apart)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), TOKENS, GAP.toMillis(),
        ROUNDS, WARMUP_ROUNDS, SETTLE.toMillis());
    System.setProperty("df.workers.embedded", "true");
    try (ConfigurableApplicationContext ctx = new SpringApplication(DurableFlowsApplication.class).run()) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      setUp(new Http(port));
      measureRoutes(port, "workers in the API's JVM");
      historyEvents(port, ctx.getBean(WorkflowClient.class));
      concurrentStreams(port);
    }

    System.setProperty("df.workers.embedded", "false");
    Map<String, String> env = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort, "DF_DATABASE_URL", db,
        "DF_DATABASE_USER", "postgres");
    try (JavaProcess workers = JavaProcess.start("bench-workers", WorkersApplication.class, env,
            "--df.llm.providers.stub.kind=openai", "--df.llm.providers.stub.base-url=" + stub.baseUrl(),
            "--df.llm.providers.stub.api-key=sk-bench", "--df.llm.providers.stub.default-model=gpt-4o-mini")
        .awaitLog("Started WorkersApplication", Duration.ofSeconds(90));
        ConfigurableApplicationContext ctx = new SpringApplication(DurableFlowsApplication.class).run()) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      measureRoutes(port, "workers in another process");
    }

    stub.close();
  }

  private void setUp(Http http) throws Exception {
    Path example = Path.of("examples", "flows", "qa-raw.json");
    String doc = Files.readString(Files.exists(example) ? example : Path.of("..").resolve(example))
        .replace("\"slug\": \"qa-raw\"", "\"slug\": \"bench\"")
        .replace("\"prompt\": \"{{input.question}}\"", "\"provider\": \"stub\", \"prompt\": \"{{input.question}}\"");
    check(http.post("/api/v1/flows", TOKEN, doc), 201);
    check(http.post("/api/v1/flows/bench/releases", TOKEN, Map.of()), 201);
  }

  private static List<Route> routes() {
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);
    String input = "{\"input\":{\"question\":\"stream please\"}}";
    Extractor openAiDelta = (line, ev) -> {
      if (!line.startsWith("data: ") || line.equals("data: [DONE]")) return null;
      JsonNode delta = json(line.substring(6)).path("choices").path(0).path("delta");
      return delta.has("content") ? delta.path("content").asText() : null;
    };
    return List.of(
        new Route("000 SSE /run/stream", "/api/llm/bench/flows/bench/run/stream", input, bearer, openAiDelta),
        new Route("000 JSON Lines /run", "/api/llm/bench/flows/bench/run",
            "{\"input\":{\"question\":\"stream please\"},\"stream\":true}", bearer, (line, ev) -> {
              JsonNode n = json(line);
              return n.path("type").asText().equals("delta") ? n.path("content").asText() : null;
            }),
        new Route("OpenAI chunks /chat/completions", "/api/llm/bench/flows/bench/chat/completions",
            "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}",
            bearer, openAiDelta),
        new Route("001 stream http", "/api/v1/accounts/bench/projects/default/flows/bench/run",
            "{\"body\":{\"question\":\"stream please\"},\"options\":{\"stream\":\"http\"}}", bearer, (line, ev) -> {
              if (!line.startsWith("data: ")) return null;
              JsonNode n = json(line.substring(6));
              return n.path("type").asText().equals("message") ? n.path("data").path("text").asText() : null;
            }),
        new Route("003 /agents/{slug}/chat", "/agents/bench/chat", "{\"text\":\"stream please\"}",
            Map.of("x-api-key", TOKEN), (line, ev) -> {
              if (line.startsWith("event: ")) ev[0] = line.substring(7);
              return line.startsWith("data: ") && "message".equals(ev[0]) ? json(line.substring(6)).asText() : null;
            }));
  }

  /** Arrival time (ns after the request was sent) of each token, and time to first token. */
  private record Sample(long[] arrivals) {
    long ttft() {
      return arrivals[0];
    }
  }

  private Sample direct() throws Exception {
    stub.enqueue(Reply.streamed(tokens(TOKENS)).withChunkDelay(GAP));
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return read(stub.baseUrl() + "/chat/completions", body, Map.of("Authorization", "Bearer sk-bench"),
        routes().getFirst().extractor(), TOKENS);
  }

  private Sample viaRoute(int port, Route route) throws Exception {
    stub.enqueue(Reply.streamed(tokens(TOKENS)).withChunkDelay(GAP));
    return read("http://127.0.0.1:" + port + route.path(), route.body(), route.headers(), route.extractor(), TOKENS);
  }

  private static Sample read(String url, String body, Map<String, String> headers, Extractor extractor, int expected)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    long[] arrivals = new long[expected];
    int chars = 0;
    int seen = 0;
    String[] lastEvent = {null};
    long t0 = System.nanoTime();
    HttpResponse<java.io.InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": "
          + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) continue;
        String content = extractor.content(line, lastEvent);
        if (content == null) continue;
        long now = System.nanoTime() - t0;
        chars += content.length();
        while (seen < expected && chars >= (seen + 1) * 6) arrivals[seen++] = now;
      }
    }
    if (seen != expected) throw new IllegalStateException(url + ": got " + seen + " of " + expected + " tokens");
    return new Sample(arrivals);
  }

  private void measureRoutes(int port, String label) throws Exception {
    List<Route> routes = routes();
    List<Sample> direct = new ArrayList<>();
    Map<String, List<Sample>> byRoute = new LinkedHashMap<>();
    routes.forEach(r -> byRoute.put(r.name(), new ArrayList<>()));
    for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      Sample d = direct();
      if (round >= WARMUP_ROUNDS) direct.add(d);
      for (Route r : routes) {
        // Each sample starts on a settled machine: the previous run's outcome write and workflow completion
        // would otherwise land on the next route's first token (2 cores), whichever route comes second.
        Thread.sleep(SETTLE.toMillis());
        Sample s = viaRoute(port, r);
        if (round >= WARMUP_ROUNDS) byRoute.get(r.name()).add(s);
      }
    }
    long[] directTtft = direct.stream().mapToLong(Sample::ttft).toArray();
    long[] directArrival = new long[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      final int token = i;
      directArrival[i] = Percentiles.of(direct.stream().mapToLong(s -> s.arrivals()[token]).toArray(), 50);
    }
    print("");
    print("  " + label);
    print(String.format("    %-34s TTFT p50 %7.1f ms  p99 %7.1f ms", "stub read directly",
        ms(Percentiles.of(directTtft, 50)), ms(Percentiles.of(directTtft, 99))));
    for (var e : byRoute.entrySet()) {
      long[] ttft = e.getValue().stream().mapToLong(Sample::ttft).toArray();
      List<Long> delays = new ArrayList<>();
      // Each token's arrival after the first, against the same in the direct read: what batching and the bridge add
      // to every delta once the stream flows (time to first token is reported on its own).
      for (Sample s : e.getValue()) {
        for (int i = 1; i < TOKENS; i++) {
          delays.add((s.arrivals()[i] - s.arrivals()[0]) - (directArrival[i] - directArrival[0]));
        }
      }
      long[] d = delays.stream().mapToLong(Long::longValue).toArray();
      double overhead = ms(Percentiles.of(ttft, 50)) - ms(Percentiles.of(directTtft, 50));
      print(String.format("    %-34s TTFT overhead p50 %+7.1f ms | delta delay vs direct p50 %6.1f ms  p99 %6.1f ms",
          e.getKey(), overhead, ms(Percentiles.of(d, 50)), ms(Percentiles.of(d, 99))));
    }
  }

  private void historyEvents(int port, WorkflowClient client) throws Exception {
    for (Duration gap : List.of(Duration.ofMillis(1), Duration.ofMillis(5))) {
      stub.enqueue(Reply.streamed(tokens(LONG_TOKENS)).withChunkDelay(gap));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/api/llm/bench/flows/bench/run/stream"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"question\":\"long answer\"}}")).build();
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      String runId = r.headers().firstValue("X-Run-Id").orElseThrow();
      var events = client.fetchHistory("run/bench/bench/" + runId).getEvents();
      long signals = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .count();
      print("");
      print(String.format("  history of a %d-token answer streamed at %d ms/token: %d events (%d delta signals)",
          LONG_TOKENS, gap.toMillis(), events.size(), signals));
    }
  }

  private void concurrentStreams(int port) throws Exception {
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = Thread.ofVirtual().start(() -> {
      while (sampling.get()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    String[] words = tokens(STREAM_TOKENS);
    String expected = String.join("", words);
    for (int i = 0; i < STREAMS; i++) stub.enqueue(Reply.streamed(words).withChunkDelay(STREAM_GAP));
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();
    AtomicInteger maxOpen = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(STREAMS);
    Route route = routes().getFirst();
    long start = System.nanoTime();
    for (int i = 0; i < STREAMS; i++) {
      Thread.ofVirtual().start(() -> {
        try {
          HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
              .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + TOKEN)
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(route.body())).build();
          HttpResponse<java.io.InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
          maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
          StringBuilder text = new StringBuilder();
          boolean sawDone = false;
          try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            String[] ev = {null};
            while ((line = reader.readLine()) != null) {
              if (line.equals("data: [DONE]")) sawDone = true;
              String c = line.isEmpty() ? null : route.extractor().content(line, ev);
              if (c != null) text.append(c);
            }
          } finally {
            open.decrementAndGet();
          }
          if (r.statusCode() != 200 || !sawDone || !text.toString().equals(expected)) errors.incrementAndGet();
        } catch (Exception e) {
          errors.incrementAndGet();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    sampling.set(false);
    sampler.join();
    print(String.format("  %d concurrent SSE streams (%d tokens %d ms apart each) on one API with its workers:"
            + " %d errors, %d open at once, all done in %.1f s, heap peak %+d MB over a %d MB baseline"
            + " (API, workers, Temporal test server, stub and clients share this JVM)",
        STREAMS, STREAM_TOKENS, STREAM_GAP.toMillis(), errors.get(), maxOpen.get(), seconds,
        (peak.get() - baseline) >> 20, baseline >> 20));
  }

  /** Figures go out as soon as they exist, between the apps' own log lines. */
  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static JsonNode json(String s) {
    try {
      return Http.JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException("not JSON: " + s, e);
    }
  }

  private static void check(Http.Response r, int status) {
    if (r.status() != status) throw new IllegalStateException("expected " + status + ", got " + r);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
