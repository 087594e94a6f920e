package io.durableflows.api.bench;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.orgs.OrgService;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./df bench}: the offline model called directly vs. the same flow run through the HTTP API (a Temporal
 * workflow, an activity, PostgreSQL writes), measured side by side in one JVM; then runs/s with 50 concurrent
 * clients. Prints figures; asserts nothing.
 */
public final class RunBenchmark {
  private static final int WARMUP = 300;
  private static final int SAMPLES = 1000;
  private static final int CLIENTS = 50;
  private static final int THROUGHPUT_RUNS = 6000;

  private RunBenchmark() {}

  public static void main(String[] args) {
    BenchApp.main(RunBenchmark::run);
  }

  private static void run() throws Exception {
    int temporalPort = TestStack.temporalPort();
    String db = TestStack.recreateDatabase("durableflows_bench");
    // System properties, like the embedded start: they outrank application.yml.
    System.setProperty("server.port", "0");
    System.setProperty("spring.datasource.url", db);
    System.setProperty("spring.temporal.connection.target", "127.0.0.1:" + temporalPort);
    System.setProperty("df.workers.embedded", "true");
    System.setProperty("logging.level.root", "WARN");
    SpringApplication app = new SpringApplication(DurableFlowsApplication.class);
    try (ConfigurableApplicationContext ctx = app.run()) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      var org = ctx.getBean(OrgService.class).create("bench", "Benchmark");
      String token = ctx.getBean(TokenService.class).mint(org.id(), "bench", null).token();
      Http http = new Http(port);
      Path example = Path.of("examples", "flows", "qa-raw.json");
      String flow = Files.readString(Files.exists(example) ? example : Path.of("..").resolve(example));
      check(http.post("/api/v1/flows", token, flow), 201);
      // The model the run's activity calls, called directly: the baseline every run's overhead is measured against.
      ChatModel llm = ctx.getBean(ModelProviders.class).resolve(null, null).chatModel();
      Map<String, Object> body = Map.of("input", Map.of("question", "How do I reset my password?"));
      java.util.List<dev.langchain4j.data.message.ChatMessage> call = java.util.List.of(SystemMessage.from("Answer in a plain tone."),
          UserMessage.from("How do I reset my password?"));

      for (int i = 0; i < WARMUP; i++) {
        llm.chat(call);
        check(http.post("/api/llm/bench/flows/qa-raw/run", token, body), 200);
      }
      long[] direct = new long[SAMPLES];
      long[] api = new long[SAMPLES];
      // Interleaved so both see the same machine state.
      for (int i = 0; i < SAMPLES; i++) {
        long t0 = System.nanoTime();
        llm.chat(call);
        long t1 = System.nanoTime();
        check(http.post("/api/llm/bench/flows/qa-raw/run", token, body), 200);
        long t2 = System.nanoTime();
        direct[i] = t1 - t0;
        api[i] = t2 - t1;
      }

      AtomicInteger remaining = new AtomicInteger(THROUGHPUT_RUNS);
      AtomicLong failures = new AtomicLong();
      long start = System.nanoTime();
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          futures.add(clients.submit(() -> {
            while (remaining.getAndDecrement() > 0) {
              if (http.post("/api/llm/bench/flows/qa-raw/run", token, body).status() != 200) failures.incrementAndGet();
            }
          }));
        }
        for (Future<?> f : futures) f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      System.out.printf("%nDurable Flows benchmark (%d cores, JDK %s; %d samples after %d warm-up, interleaved)%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), SAMPLES, WARMUP);
      System.out.printf("  offline model, direct      p50 %8.3f ms   p99 %8.3f ms%n",
          Percentiles.ms(direct, 50), Percentiles.ms(direct, 99));
      System.out.printf("  same flow via HTTP API     p50 %8.3f ms   p99 %8.3f ms%n",
          Percentiles.ms(api, 50), Percentiles.ms(api, 99));
      System.out.printf("  overhead (API - direct)    p50 %8.3f ms   p99 %8.3f ms%n",
          Percentiles.ms(api, 50) - Percentiles.ms(direct, 50), Percentiles.ms(api, 99) - Percentiles.ms(direct, 99));
      System.out.printf("  throughput, %d clients     %8.1f runs/s   (%d runs in %.1f s, %d failed)%n",
          CLIENTS, THROUGHPUT_RUNS / seconds, THROUGHPUT_RUNS, seconds, failures.get());
    }
  }

  private static void check(Http.Response r, int status) {
    if (r.status() != status) throw new IllegalStateException("expected " + status + ", got " + r);
  }
}
