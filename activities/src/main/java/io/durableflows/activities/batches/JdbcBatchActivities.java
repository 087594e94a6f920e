package io.durableflows.activities.batches;

import io.durableflows.activities.completions.CompletionRunner;
import io.durableflows.activities.store.RunRows;
import io.durableflows.activities.store.StoredJson;
import io.durableflows.workflows.batches.BatchActivities;
import io.durableflows.workflows.batches.BatchFailures;
import io.durableflows.workflows.batches.ChunkReport;
import io.durableflows.workflows.batches.ChunkSpec;
import io.durableflows.workflows.batches.ItemOutcome;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InvalidFlowException;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.ActivityPolicies;
import io.durableflows.workflows.run.RunRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batches in PostgreSQL ({@code batches}, {@code batch_items}) and their operation items through the
 * {@link CompletionRunner}. Every item write applies only while the item is pending: a retried chunk, a replayed
 * record or a late write after a cancel never records an item twice.
 */
public class JdbcBatchActivities implements BatchActivities {
  /** A chunk's retryable item failures, thrown after its other items are recorded so Temporal retries the chunk. */
  public static final String ITEMS_TO_RETRY = "BatchItemsToRetry";
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final CompletionRunner runner;

  public JdbcBatchActivities(DataSource dataSource, CompletionRunner runner) {
    this.jdbc = JdbcClient.create(dataSource);
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.runner = runner;
  }

  private record Operation(String operation, Map<String, Object> options, String provider, String model) {}

  private record Item(int idx, Object input) {}

  /** How one item went: recorded (completed or failed), or to run again on the chunk's next attempt. */
  private record Ran(boolean failed, String retryMessage) {}

  @Override
  public ChunkReport runChunk(ChunkSpec chunk) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    boolean lastAttempt = context.getInfo().getAttempt() >= ActivityPolicies.BATCH_CHUNK_ATTEMPTS;
    Operation operation = jdbc.sql("select operation, options, provider, model from batches where id = :id")
        .param("id", chunk.batchId())
        .query((rs, n) -> new Operation(rs.getString("operation"), StoredJson.readMap(rs.getString("options")),
            rs.getString("provider"), rs.getString("model")))
        .optional()
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("batch " + chunk.batchId() + " is gone",
            "BatchNotFound"));
    List<Item> items = jdbc.sql("""
            select idx, input from batch_items where batch_id = :batch and idx >= :from and idx < :to
              and status = 'pending' order by idx""")
        .param("batch", chunk.batchId()).param("from", chunk.from()).param("to", chunk.to())
        .query((rs, n) -> new Item(rs.getInt("idx"), StoredJson.read(rs.getString("input"))))
        .list();
    int skipped = chunk.to() - chunk.from() - items.size();
    int completed = 0;
    int failed = 0;
    String retry = null;
    int retries = 0;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, chunk.concurrency()), Thread.ofVirtual()
        .name("batch-item-", 0).factory());
    try {
      CompletionService<Ran> done = new ExecutorCompletionService<>(pool);
      for (Item item : items) done.submit(() -> runItem(chunk, operation, item, lastAttempt));
      int left = items.size();
      while (left > 0) {
        Future<Ran> next = done.poll(1, TimeUnit.SECONDS);
        // A cancelled batch or a lost chunk hears it here, between items.
        context.heartbeat(completed + failed);
        if (next == null) continue;
        left--;
        Ran ran = next.get();
        if (ran.retryMessage() != null) {
          retries++;
          retry = ran.retryMessage();
        } else if (ran.failed()) {
          failed++;
        } else {
          completed++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    if (retries > 0) {
      throw ApplicationFailure.newFailure(retries + " item(s) to retry; last: " + retry, ITEMS_TO_RETRY);
    }
    return new ChunkReport(completed, failed, skipped);
  }

  private Ran runItem(ChunkSpec chunk, Operation operation, Item item, boolean lastAttempt) {
    CompletionCall call = new CompletionCall(chunk.batchId() + "/" + item.idx(), chunk.orgCode(),
        operation.operation(), operation.options(), item.input(), operation.provider(), operation.model());
    CompletionResult result;
    try {
      result = runner.run(call);
    } catch (ApplicationFailure f) {
      boolean retryCannotHelp = f.isNonRetryable() || LlmFailures.NON_RETRYABLE.contains(f.getType());
      if (!retryCannotHelp && !lastAttempt) return new Ran(false, f.getOriginalMessage());
      return recordFailure(chunk.batchId(), item.idx(), CompletionFailures.code(f.getType()), f.getOriginalMessage());
    } catch (RuntimeException e) {
      if (!lastAttempt) return new Ran(false, String.valueOf(e.getMessage()));
      return recordFailure(chunk.batchId(), item.idx(), "failed", String.valueOf(e.getMessage()));
    }
    boolean ok = result.ok();
    update(chunk.batchId(), item.idx(), null, ok ? "completed" : "failed", ok ? result.output() : null,
        result.error(), result.message(), result.usage(), result.costUsd(), result.durationMs());
    return new Ran(!ok, null);
  }

  private Ran recordFailure(String batchId, int idx, String error, String message) {
    update(batchId, idx, null, "failed", null, error, message, Usage.ZERO, 0, null);
    return new Ran(true, null);
  }

  private int update(String batchId, int idx, String runId, String status, Object output, String error,
      String message, Usage usage, double cost, Long durationMs) {
    Usage used = usage == null ? Usage.ZERO : usage;
    return jdbc.sql("""
            update batch_items set status = :status, output = cast(:output as jsonb), error = :error,
              message = :message, run_id = coalesce(:run, run_id), prompt_tokens = :prompt,
              completion_tokens = :completion, cost_usd = :cost, duration_ms = :duration,
              finished_at = clock_timestamp()
            where batch_id = :batch and idx = :idx and status = 'pending'""")
        .param("status", status).param("output", output == null ? null : StoredJson.write(output)).param("error", error)
        .param("message", message).param("run", runId).param("prompt", used.promptTokens())
        .param("completion", used.completionTokens()).param("cost", cost).param("duration", durationMs)
        .param("batch", batchId).param("idx", idx)
        .update();
  }

  @Override
  public void start(String batchId) {
    jdbc.sql("update batches set status = 'running', started_at = coalesce(started_at, now()) where id = :id"
            + " and status = 'queued'")
        .param("id", batchId).update();
  }

  @Override
  public List<Integer> pending(String batchId, int from, int to) {
    return jdbc.sql("""
            select idx from batch_items where batch_id = :batch and idx >= :from and idx < :to and status = 'pending'
            order by idx""")
        .param("batch", batchId).param("from", from).param("to", to).query(Integer.class).list();
  }

  @Override
  public int failPending(String batchId, int from, int to, String error, String message) {
    return jdbc.sql("""
            update batch_items set status = 'failed', error = :error, message = :message,
              finished_at = clock_timestamp()
            where batch_id = :batch and idx >= :from and idx < :to and status = 'pending'""")
        .param("error", error).param("message", message).param("batch", batchId).param("from", from)
        .param("to", to).update();
  }

  private record FlowBatch(String orgId, String orgCode, String projectId, String flowId, String slug,
      String releaseId, String version, String historyId, String definition) {}

  @Override
  public RunRequest prepareItemRun(String batchId, int idx, String runId) {
    return tx.execute(status -> {
      Optional<Object> input = jdbc.sql("""
              select input from batch_items where batch_id = :batch and idx = :idx and status = 'pending'""")
          .param("batch", batchId).param("idx", idx).query((rs, n) -> StoredJson.read(rs.getString("input"))).optional();
      if (input.isEmpty()) return null;
      FlowBatch batch = jdbc.sql("""
              select b.org_id, o.org_code, b.project_id, b.flow_id, b.flow_slug, b.release_id, b.version,
                b.flow_history_id, b.definition
              from batches b join organizations o on o.id = b.org_id where b.id = :id""")
          .param("id", batchId)
          .query((rs, n) -> new FlowBatch(rs.getString("org_id"), rs.getString("org_code"),
              rs.getString("project_id"), rs.getString("flow_id"), rs.getString("flow_slug"),
              rs.getString("release_id"), rs.getString("version"), rs.getString("flow_history_id"),
              rs.getString("definition")))
          .single();
      FlowDefinition flow = StoredJson.flow(batch.definition(), "BatchFlowUnreadable", "the batch's flow");
      Optional<String> recorded = jdbc.sql("select input from runs where id = :id").param("id", runId)
          .query(String.class).optional();
      if (recorded.isPresent()) {
        return new RunRequest(runId, batch.orgCode(), batch.slug(), batch.version(), flow, StoredJson.readMap(recorded.get()));
      }
      Map<String, Object> runInput;
      try {
        runInput = InputSchema.of(flow).validate(input.get() instanceof Map<?, ?> ? asMap(input.get()) : null);
      } catch (InvalidFlowException e) {
        update(batchId, idx, null, "failed", null, BatchFailures.INVALID_INPUT, "the item does not match the input"
            + " schema of flow '" + batch.slug() + "': " + e.errors().stream().map(JdbcBatchActivities::describe)
            .collect(Collectors.joining("; ")), Usage.ZERO, 0, null);
        return null;
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("batch_id", batchId);
      metadata.put("batch_item", idx);
      RunRows.insertIfAbsent(jdbc, new RunRows.NewRun(runId, batch.orgId(), batch.orgCode(), batch.projectId(),
          batch.flowId(), batch.slug(), batch.releaseId(), batch.version(), batch.historyId(), "batch", runInput,
          metadata, null, null));
      jdbc.sql("update batch_items set run_id = :run where batch_id = :batch and idx = :idx")
          .param("run", runId).param("batch", batchId).param("idx", idx).update();
      return new RunRequest(runId, batch.orgCode(), batch.slug(), batch.version(), flow, runInput);
    });
  }

  @Override
  public void record(ItemOutcome outcome) {
    update(outcome.batchId(), outcome.idx(), outcome.runId(), outcome.status(), outcome.output(), outcome.error(),
        outcome.message(), outcome.usage(), outcome.costUsd(), null);
  }

  @Override
  public void finish(String batchId, String status, String message) {
    tx.executeWithoutResult(s -> {
      if ("cancelled".equals(status)) {
        jdbc.sql("update batch_items set status = 'cancelled' where batch_id = :batch and status = 'pending'")
            .param("batch", batchId).update();
      }
      jdbc.sql("""
              update batches set status = :status, error_message = :message, finished_at = coalesce(finished_at, now())
              where id = :id and status in ('queued', 'running')""")
          .param("status", status).param("message", message).param("id", batchId).update();
    });
  }

  private static String describe(FieldError e) {
    return (e.node() == null ? "" : e.node() + ".") + e.field() + " " + e.message();
  }


  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }



}
