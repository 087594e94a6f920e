package io.durableflows.api.batches;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.files.FileRecord;
import io.durableflows.api.files.FileRow;
import io.durableflows.api.files.FileRows;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.batches.BatchPlan;
import io.durableflows.workflows.batches.BatchWorkflow;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionOptions;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InvalidFlowException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batches ({@code batches}, {@code batch_items}, migration V9): a flow or a completion operation over a file's rows
 * or inline items. Creation checks everything first (a bad request creates nothing), copies the items in and starts
 * the {@link BatchWorkflow}; progress and output are read from PostgreSQL, where the workflows record each item.
 */
@Service
class BatchService {
  static final int DEFAULT_CONCURRENCY = 16;
  static final int MAX_CONCURRENCY = 256;
  /** Inline items per request (a file takes more). */
  static final int MAX_INLINE_ITEMS = 10_000;
  private static final int MAX_DETAILS = 100;
  private static final int INSERT_BATCH = 500;
  private static final Set<String> FIELDS = Set.of("flow", "version", "operation", "options", "provider", "model",
      "file_id", "items", "concurrency", "metadata");
  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate tx;
  private final FlowService flows;
  private final FileRows files;
  private final TemporalGateway temporal;
  private final Json json;
  private final RowMapper<BatchRecord> batchRow;

  BatchService(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, FlowService flows, FileRows files,
      TemporalGateway temporal, Json json) {
    this.jdbc = jdbc;
    this.template = template;
    this.tx = tx;
    this.flows = flows;
    this.files = files;
    this.temporal = temporal;
    this.json = json;
    this.batchRow = (rs, n) -> new BatchRecord(rs.getString("id"), rs.getString("org_id"), rs.getString("kind"),
        rs.getString("flow_slug"), rs.getString("version"), rs.getString("operation"),
        json.readMap(rs.getString("options")), rs.getString("provider"), rs.getString("model"),
        rs.getString("file_id"), rs.getInt("total"), rs.getInt("concurrency"), rs.getString("status"),
        rs.getString("workflow_id"), json.readMap(rs.getString("metadata")), rs.getString("error_message"),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class));
  }

  /** Where the items come from: inline, or a file's rows. */
  private record Source(List<Object> items, FileRecord file) {
    int total() {
      return items != null ? items.size() : file.rows();
    }
  }

  @SuppressWarnings("unchecked")
  BatchRecord create(String orgId, String orgCode, Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : body.keySet()) {
      if (!FIELDS.contains(key)) errors.add(FieldError.of(key, "is not a property of a batch " + FIELDS));
    }
    String flow = string(body, "flow", errors);
    String version = string(body, "version", errors);
    String operation = string(body, "operation", errors);
    String provider = string(body, "provider", errors);
    String model = string(body, "model", errors);
    String fileId = string(body, "file_id", errors);
    Map<String, Object> options = Map.of();
    if (body.get("options") != null) {
      if (body.get("options") instanceof Map<?, ?> m) options = (Map<String, Object>) m;
      else errors.add(FieldError.of("options", "must be an object (the operation's settings)"));
    }
    Map<String, Object> metadata = null;
    if (body.get("metadata") != null) {
      if (body.get("metadata") instanceof Map<?, ?> m) metadata = (Map<String, Object>) m;
      else errors.add(FieldError.of("metadata", "must be an object"));
    }
    int concurrency = DEFAULT_CONCURRENCY;
    Object rawConcurrency = body.get("concurrency");
    if (rawConcurrency != null) {
      if (rawConcurrency instanceof Integer c && c >= 1 && c <= MAX_CONCURRENCY) concurrency = c;
      else errors.add(FieldError.of("concurrency", "must be an integer from 1 to " + MAX_CONCURRENCY));
    }
    if ((flow == null) == (operation == null)) {
      errors.add(FieldError.of("flow", "give either 'flow' (a flow's slug or id) or 'operation' (one of "
          + CompletionOperations.ALL + ")"));
    }
    if (operation != null) {
      if (!CompletionOperations.ALL.contains(operation)) {
        errors.add(FieldError.of("operation", "must be one of " + CompletionOperations.ALL));
      } else {
        for (FieldError e : CompletionOptions.problems(operation, options)) {
          errors.add(FieldError.of("options." + e.field(), e.message()));
        }
      }
      if (version != null) errors.add(FieldError.of("version", "goes with 'flow', not 'operation'"));
    }
    if (flow != null && (body.get("options") != null || provider != null || model != null)) {
      errors.add(FieldError.of("options", "'options', 'provider' and 'model' go with 'operation'; a flow has its own"));
    }
    Object rawItems = body.get("items");
    List<Object> items = null;
    if ((rawItems == null) == (fileId == null)) {
      errors.add(FieldError.of("items", "give either 'items' (an array) or 'file_id' (an uploaded file)"));
    } else if (rawItems != null) {
      if (!(rawItems instanceof List<?> list)) {
        errors.add(FieldError.of("items", "must be an array"));
      } else if (list.isEmpty()) {
        errors.add(FieldError.of("items", "must not be empty"));
      } else if (list.size() > MAX_INLINE_ITEMS) {
        errors.add(FieldError.of("items", "at most " + MAX_INLINE_ITEMS + " inline; upload a file for more"));
      } else {
        items = (List<Object>) list;
      }
    }
    FileRecord file = null;
    if (fileId != null) {
      file = files.find(orgId, fileId).orElse(null);
      if (file == null) errors.add(FieldError.of("file_id", "no file '" + fileId + "' in this organization"));
    }
    ResolvedFlow resolved = null;
    if (flow != null && errors.isEmpty()) {
      try {
        resolved = flows.resolve(orgId, flow, version);
      } catch (ApiException e) {
        if (e.status() != HttpStatus.NOT_FOUND) throw e;
        errors.add(FieldError.of(version == null ? "flow" : "version", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_batch", "the batch is invalid", errors);
    Source source = new Source(items, file);
    if (resolved != null) checkFlowInputs(resolved, source);
    String id = Ids.newId("bat");
    BatchPlan plan = new BatchPlan(id, orgCode, resolved != null ? BatchPlan.FLOW : BatchPlan.OPERATION,
        source.total(), concurrency, 0);
    String workflowId = BatchWorkflow.workflowId(orgCode, id);
    ResolvedFlow flowUsed = resolved;
    String fileUsed = fileId;
    Map<String, Object> optionsUsed = options;
    Map<String, Object> metadataUsed = metadata;
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              insert into batches (id, org_id, kind, project_id, flow_id, flow_slug, release_id, version,
                flow_history_id, definition, operation, options, provider, model, file_id, total, concurrency, status,
                workflow_id, metadata)
              values (:id, :org, :kind, :project, :flowId, :slug, :release, :version, :history,
                cast(:definition as jsonb), :operation, cast(:options as jsonb), :provider, :model, :file, :total,
                :concurrency, 'queued', :workflow, cast(:metadata as jsonb))""")
          .param("id", id).param("org", orgId).param("kind", plan.kind())
          .param("project", flowUsed == null ? null : flowUsed.projectId())
          .param("flowId", flowUsed == null ? null : flowUsed.flowId())
          .param("slug", flowUsed == null ? null : flowUsed.slug())
          .param("release", flowUsed == null ? null : flowUsed.releaseId())
          .param("version", flowUsed == null ? null : flowUsed.version())
          .param("history", flowUsed == null ? null : flowUsed.flowHistoryId())
          .param("definition", flowUsed == null ? null : json.write(flowUsed.definition()))
          .param("operation", operation).param("options", flowUsed == null ? json.write(optionsUsed) : null)
          .param("provider", provider).param("model", model).param("file", fileUsed).param("total", plan.total())
          .param("concurrency", plan.concurrency()).param("workflow", workflowId).param("metadata", json.write(metadataUsed))
          .update();
      if (source.items() != null) {
        List<Object[]> rows = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < source.items().size(); i++) {
          rows.add(new Object[] {id, i, json.write(source.items().get(i))});
          if (rows.size() == INSERT_BATCH) {
            template.batchUpdate("insert into batch_items (batch_id, idx, input) values (?, ?, cast(? as jsonb))", rows);
            rows.clear();
          }
        }
        if (!rows.isEmpty()) {
          template.batchUpdate("insert into batch_items (batch_id, idx, input) values (?, ?, cast(? as jsonb))", rows);
        }
      } else {
        jdbc.sql("insert into batch_items (batch_id, idx, input) select :batch, idx, data from file_rows"
                + " where file_id = :file")
            .param("batch", id).param("file", fileUsed).update();
      }
    });
    String summary = "org **" + orgCode + "** · batch of " + plan.total() + " · "
        + (resolved != null ? "flow **" + resolved.slug() + "** · version **" + resolved.version() + "**"
            : "operation **" + operation + "**");
    try {
      temporal.startBatch(plan, summary);
    } catch (RunUnreachableException e) {
      jdbc.sql("update batches set status = 'failed', error_message = :m, finished_at = now() where id = :id")
          .param("m", "Temporal did not start the batch").param("id", id).update();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "Temporal did not start the batch; try again");
    }
    return require(orgId, id);
  }

  /** A flow's items must be objects that fit its input schema: checked for every item before anything is stored. */
  private void checkFlowInputs(ResolvedFlow flow, Source source) {
    InputSchema schema = InputSchema.of(flow.definition());
    List<FieldError> errors = new ArrayList<>();
    int[] count = {0};
    if (source.items() != null) {
      for (int i = 0; i < source.items().size(); i++) {
        checkItem(schema, "items[" + i + "]", source.items().get(i), errors, count);
      }
    } else {
      int page = 1000;
      for (int from = 0; from < source.file().rows(); from += page) {
        for (FileRow row : files.rows(source.file().id(), from, from + page)) {
          checkItem(schema, "rows[" + row.idx() + "] (line " + row.line() + ")", row.data(), errors, count);
        }
      }
    }
    if (count[0] > 0) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_batch", count[0] + " item(s) do not fit the input of"
          + " flow '" + flow.slug() + "'" + (count[0] > errors.size() ? " (the first " + errors.size() + " listed)"
          : ""), Map.of("details", errors.stream().map(e -> Map.<String, Object>of("field", e.field(),
              "message", e.message())).toList(), "error_count", count[0]));
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkItem(InputSchema schema, String where, Object item, List<FieldError> errors, int[] count) {
    if (!(item instanceof Map<?, ?> map)) {
      count[0]++;
      if (errors.size() < MAX_DETAILS) errors.add(FieldError.of(where, "must be an object (the flow's input)"));
      return;
    }
    try {
      schema.validate((Map<String, Object>) map);
    } catch (InvalidFlowException e) {
      count[0]++;
      for (FieldError f : e.errors()) {
        if (errors.size() < MAX_DETAILS) errors.add(FieldError.of(where + "." + f.field(), f.message()));
      }
    }
  }

  private static String string(Map<String, Object> body, String field, List<FieldError> errors) {
    Object value = body.get(field);
    if (value == null) return null;
    if (value instanceof String s && !s.isBlank()) return s;
    errors.add(FieldError.of(field, "must be a non-empty string"));
    return null;
  }

  Optional<BatchRecord> find(String orgId, String id) {
    return jdbc.sql("select * from batches where org_id = :org and id = :id").param("org", orgId).param("id", id)
        .query(batchRow).optional();
  }

  BatchRecord require(String orgId, String id) {
    return find(orgId, id).orElseThrow(() -> ApiException.notFound("batch '" + id + "'"));
  }

  List<BatchRecord> list(String orgId, int limit) {
    return jdbc.sql("select * from batches where org_id = :org order by created_at desc, id desc limit :limit")
        .param("org", orgId).param("limit", limit).query(batchRow).list();
  }

  /**
   * Batches not yet ended, in every org, created over a minute ago (a younger one may be between its row and its
   * workflow's start in another API instance).
   */
  List<BatchRecord> active() {
    return jdbc.sql("""
            select * from batches where status in ('queued', 'running') and created_at < now() - interval '1 minute'
            order by created_at""")
        .query(batchRow).list();
  }

  /** Ends a batch whose workflow is gone: failed, with its unfinished items failed as {@code lost}. */
  void markLost(String id, String message) {
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              update batch_items set status = 'failed', error = 'lost', message = :message, finished_at = now()
              where batch_id = :id and status = 'pending'""")
          .param("message", message).param("id", id).update();
      jdbc.sql("""
              update batches set status = 'failed', error_message = :message, finished_at = now()
              where id = :id and status in ('queued', 'running')""")
          .param("message", message).param("id", id).update();
    });
  }

  Progress progress(String batchId) {
    return progress(List.of(batchId)).getOrDefault(batchId, Progress.NONE);
  }

  /** Progress of each batch, in one query (a list page shows up to 100 batches). */
  Map<String, Progress> progress(List<String> batchIds) {
    Map<String, Progress> out = new HashMap<>();
    jdbc.sql("""
            select batch_id, count(*) filter (where status = 'completed') as completed,
              count(*) filter (where status = 'failed') as failed,
              count(*) filter (where status = 'cancelled') as cancelled,
              coalesce(sum(prompt_tokens), 0) as prompt, coalesce(sum(completion_tokens), 0) as completion,
              coalesce(sum(cost_usd), 0) as cost
            from batch_items where batch_id = any(:batches) group by batch_id""")
        .param("batches", batchIds.toArray(String[]::new))
        .query(rs -> {
          out.put(rs.getString("batch_id"), new Progress(rs.getInt("completed"), rs.getInt("failed"),
              rs.getInt("cancelled"), rs.getLong("prompt"), rs.getLong("completion"), rs.getDouble("cost")));
        });
    return out;
  }

  /** Seconds left at the rate items have finished since the batch started; null until one has. */
  static Long eta(BatchRecord batch, Progress progress, OffsetDateTime now) {
    if (batch.finished()) return 0L;
    if (batch.startedAt() == null || progress.done() == 0) return null;
    double elapsed = Math.max(0.001, Duration.between(batch.startedAt(), now).toMillis() / 1000.0);
    double rate = progress.done() / elapsed;
    return Math.round((batch.total() - progress.done()) / rate);
  }

  /** Items {@code offset}.. in index order, each with its status: finished items with their output or error. */
  List<BatchItem> items(String batchId, int offset, int limit) {
    return jdbc.sql("""
            select idx, status, input, output, error, message, run_id from batch_items
            where batch_id = :batch and idx >= :from order by idx limit :limit""")
        .param("batch", batchId).param("from", offset).param("limit", limit)
        .query((rs, n) -> new BatchItem(rs.getInt("idx"), rs.getString("status"), json.read(rs.getString("input")),
            json.read(rs.getString("output")), rs.getString("error"), rs.getString("message"),
            rs.getString("run_id")))
        .list();
  }

  /**
   * Asks the batch's workflow to stop. Its shards stop, items not yet finished end {@code cancelled}, finished ones
   * keep their output. When Temporal no longer knows the workflow, the batch is marked cancelled here.
   */
  BatchRecord cancel(String orgId, String id) {
    BatchRecord batch = require(orgId, id);
    if (batch.finished()) {
      throw ApiException.conflict("batch_finished", "the batch is already " + batch.status());
    }
    boolean asked;
    try {
      asked = temporal.cancel(batch.workflowId());
    } catch (RuntimeException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "Temporal did not take the cancel; try again");
    }
    if (!asked) {
      tx.executeWithoutResult(status -> {
        jdbc.sql("update batch_items set status = 'cancelled' where batch_id = :id and status = 'pending'")
            .param("id", id).update();
        jdbc.sql("update batches set status = 'cancelled', finished_at = now() where id = :id"
                + " and status in ('queued', 'running')").param("id", id).update();
      });
    }
    return require(orgId, id);
  }
}
