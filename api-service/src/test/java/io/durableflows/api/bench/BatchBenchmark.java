package io.durableflows.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.DurableFlowsApplication;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.orgs.OrgService;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.TestStack;
import io.durableflows.workflows.batches.BatchShardWorkflow;
import io.durableflows.workflows.batches.BatchWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./df bench batches}: a 10,000-item batch of a completion operation with the offline model (uploaded as a
 * JSON Lines file, run through the API with the workers in the same JVM), then a smaller batch of a flow (each item
 * a child run). Prints items/s (from the POST until the batch reads completed) and the largest history among every
 * workflow of each batch (the batch and each execution it continued as, its shards, and for the flow the item runs),
 * fetched through the WorkflowClient. Asserts nothing.
 */
public final class BatchBenchmark {
  private static final int OPERATION_ITEMS = 10_000;
  private static final int FLOW_ITEMS = 1_000;
  private static final int CONCURRENCY = 32;

  private BatchBenchmark() {}

  public static void main(String[] args) {
    BenchApp.main(BatchBenchmark::run);
  }

  private record Measured(String id, int total, JsonNode batch, double seconds) {}

  private record Largest(String workflowId, int events, int workflows) {}

  private static void run() throws Exception {
    System.setProperty("server.port", "0");
    System.setProperty("spring.datasource.url", TestStack.recreateDatabase("durableflows_bench_batches"));
    System.setProperty("spring.temporal.connection.target", "127.0.0.1:" + TestStack.temporalPort());
    System.setProperty("df.workers.embedded", "true");
    System.setProperty("logging.level.root", "WARN");
    try (ConfigurableApplicationContext ctx = new SpringApplication(DurableFlowsApplication.class).run()) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      var org = ctx.getBean(OrgService.class).create("bench", "Benchmark");
      String token = ctx.getBean(TokenService.class).mint(org.id(), "bench", null).token();
      WorkflowClient client = ctx.getBean(WorkflowClient.class);
      Http http = new Http(port);

      StringBuilder jsonl = new StringBuilder();
      for (int i = 0; i < OPERATION_ITEMS; i++) {
        jsonl.append("{\"text\": \"Ticket ").append(i).append(": the export to CSV fails after the last update, ")
            .append("customers wait for a fix and ask for a refund of this month.\"}\n");
      }
      Http.Response file = http.postRaw("/api/v1/files?filename=tickets.jsonl", token, "application/x-ndjson",
          jsonl.toString());
      check(file, 201);
      Measured operation = measure(http, token, Map.of("operation", "summarize", "file_id",
          file.json().path("id").asText(), "concurrency", CONCURRENCY));
      Largest operationLargest = largest(client, "bench", operation, List.of());

      Path example = Path.of("examples", "flows", "qa-raw.json");
      check(http.post("/api/v1/flows", token, Files.readString(Files.exists(example) ? example
          : Path.of("..").resolve(example))), 201);
      List<Object> questions = new ArrayList<>();
      for (int i = 0; i < FLOW_ITEMS; i++) questions.add(Map.of("question", "How do I reset password number " + i + "?"));
      Measured flow = measure(http, token, Map.of("flow", "qa-raw", "items", questions, "concurrency", CONCURRENCY));
      List<String> itemRuns = new ArrayList<>();
      for (JsonNode item : http.get("/api/v1/batches/" + flow.id() + "/output?page_size=" + FLOW_ITEMS, token).json()
          .path("data")) {
        itemRuns.add("run/bench/qa-raw/" + item.path("run_id").asText());
      }
      Largest flowLargest = largest(client, "bench", flow, itemRuns);

      System.out.printf("%nDurable Flows batch benchmark (%d cores, JDK %s; offline model, concurrency %d)%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), CONCURRENCY);
      print("operation summarize", operation, operationLargest);
      print("flow qa-raw", flow, flowLargest);
    }
  }

  private static void print(String what, Measured m, Largest largest) {
    System.out.printf("  %-20s %6d items in %6.1f s: %7.1f items/s  (%s, %d completed, %d failed)%n", what,
        m.total(), m.seconds(), m.total() / m.seconds(), m.batch().path("status").asText(),
        m.batch().path("completed").asInt(), m.batch().path("failed").asInt());
    System.out.printf("  %-20s largest history %d events (%s) among %d workflow executions%n", "", largest.events(),
        largest.workflowId(), largest.workflows());
  }

  private static Measured measure(Http http, String token, Map<String, Object> body) throws InterruptedException {
    long start = System.nanoTime();
    Http.Response created = http.post("/api/v1/batches", token, body);
    check(created, 202);
    String id = created.json().path("id").asText();
    while (true) {
      JsonNode batch = http.get("/api/v1/batches/" + id, token).json();
      String status = batch.path("status").asText();
      if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
        return new Measured(id, batch.path("total").asInt(), batch, (System.nanoTime() - start) / 1e9);
      }
      Thread.sleep(100);
    }
  }

  /** Every execution of the batch (following continue-as-new back), its shards and {@code more}; the longest. */
  private static Largest largest(WorkflowClient client, String orgCode, Measured m, List<String> more) {
    List<String> ids = new ArrayList<>();
    ids.add(BatchWorkflow.workflowId(orgCode, m.id()));
    int shardSize = m.batch().has("flow") ? BatchWorkflow.FLOW_SHARD_SIZE : BatchWorkflow.OPERATION_SHARD_SIZE;
    for (int shard = 0; shard * shardSize < m.total(); shard++) {
      ids.add(BatchShardWorkflow.workflowId(orgCode, m.id(), shard));
    }
    ids.addAll(more);
    String longest = null;
    int max = 0;
    int executions = 0;
    for (String id : ids) {
      WorkflowExecutionHistory history = client.fetchHistory(id);
      while (true) {
        executions++;
        List<HistoryEvent> events = history.getEvents();
        if (events.size() > max) {
          max = events.size();
          longest = id;
        }
        String previous = events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        if (previous.isEmpty()) break;
        history = client.fetchHistory(id, previous);
      }
    }
    return new Largest(longest, max, executions);
  }

  private static void check(Http.Response r, int status) {
    if (r.status() != status) throw new IllegalStateException("expected " + status + ", got " + r);
  }
}
