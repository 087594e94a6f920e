package io.durableflows.api.experiments;

import io.durableflows.api.support.Json;
import io.durableflows.workflows.evals.EvaluatorSpec;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Experiments and their finished rows in PostgreSQL ({@code experiments}, {@code experiment_rows}). */
@Repository
class ExperimentRepository {
  private static final TypeReference<List<EvaluatorSpec>> SPECS = new TypeReference<>() {};
  private final JdbcClient jdbc;
  private final Json json;
  private final RowMapper<ExperimentRecord> experimentRow;
  private final RowMapper<Row> rowRow;

  ExperimentRepository(JdbcClient jdbc, Json json, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.json = json;
    this.experimentRow = (rs, n) -> new ExperimentRecord(rs.getString("id"), rs.getString("org_id"),
        rs.getString("name"), rs.getString("flow_id"), rs.getString("flow_slug"), rs.getString("release_id"),
        rs.getString("version"), rs.getString("dataset_id"), mapper.readValue(rs.getString("evaluators"), SPECS),
        rs.getInt("concurrency"), rs.getInt("total"), rs.getString("status"), rs.getString("workflow_id"),
        rs.getString("error_message"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class));
    this.rowRow = (rs, n) -> new Row(rs.getInt("row_index"), rs.getString("run_id"), rs.getString("status"),
        json.read(rs.getString("input")), json.read(rs.getString("expected")), json.read(rs.getString("output")),
        (Long) rs.getObject("latency_ms"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
        rs.getDouble("cost_usd"), rs.getLong("eval_tokens"), rs.getDouble("eval_cost_usd"),
        (Double) rs.getObject("score"), (Boolean) rs.getObject("passed"), evaluations(rs.getString("evaluations")),
        rs.getString("error_type"), rs.getString("error_message"));
  }

  /** One finished row of an experiment; {@code evaluations} as the eval job reported them. */
  record Row(int index, String runId, String status, Object input, Object expected, Object output, Long latencyMs,
      long promptTokens, long completionTokens, double costUsd, long evalTokens, double evalCostUsd, Double score,
      Boolean passed, List<Map<String, Object>> evaluations, String errorType, String errorMessage) {

    boolean completed() {
      return "completed".equals(status);
    }
  }

  record NewExperiment(String id, String orgId, String name, String flowId, String flowSlug, String projectId,
      String releaseId, String version, String datasetId, List<EvaluatorSpec> evaluators, int concurrency, int total,
      String workflowId) {}

  void insert(NewExperiment e) {
    jdbc.sql("""
            insert into experiments (id, org_id, name, flow_id, flow_slug, project_id, release_id, version, dataset_id,
              evaluators, concurrency, total, status, workflow_id)
            values (:id, :org, :name, :flow, :slug, :project, :release, :version, :dataset, cast(:evaluators as jsonb),
              :concurrency, :total, 'running', :workflow)""")
        .param("id", e.id()).param("org", e.orgId()).param("name", e.name()).param("flow", e.flowId())
        .param("slug", e.flowSlug()).param("project", e.projectId()).param("release", e.releaseId())
        .param("version", e.version()).param("dataset", e.datasetId()).param("evaluators", json.write(e.evaluators()))
        .param("concurrency", e.concurrency()).param("total", e.total()).param("workflow", e.workflowId())
        .update();
  }

  /** Ends a running experiment in PostgreSQL only: its workflow could not start, or Temporal no longer knows it. */
  void end(String id, String status, String error) {
    jdbc.sql("""
            update experiments set status = :status, error_message = :error, finished_at = coalesce(finished_at, now())
            where id = :id and status = 'running'""")
        .param("status", status).param("error", error).param("id", id).update();
  }

  Optional<ExperimentRecord> find(String orgId, String id) {
    return jdbc.sql("select * from experiments where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).query(experimentRow).optional();
  }

  /** Experiments PostgreSQL shows as running, oldest first. */
  List<ExperimentRecord> running(int limit) {
    return jdbc.sql("select * from experiments where status = 'running' order by created_at limit :limit")
        .param("limit", limit).query(experimentRow).list();
  }

  List<ExperimentRecord> page(String orgId, OffsetDateTime afterCreatedAt, String afterId, int limit) {
    return jdbc.sql("""
            select * from experiments where org_id = :org
              and (cast(:after as timestamptz) is null or (created_at, id) < (cast(:after as timestamptz), :afterId))
            order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("after", afterCreatedAt).param("afterId", afterId).param("limit", limit)
        .query(experimentRow).list();
  }

  /** Counts of finished rows by status. */
  Map<String, Integer> counts(String experimentId) {
    return counts(List.of(experimentId)).getOrDefault(experimentId, Map.of());
  }

  /** Finished rows by status, per experiment, in one query (a list page shows up to 100 experiments). */
  Map<String, Map<String, Integer>> counts(List<String> experimentIds) {
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    jdbc.sql("""
            select experiment_id, status, count(*) as n from experiment_rows
            where experiment_id = any(:ids) group by experiment_id, status""")
        .param("ids", experimentIds.toArray(String[]::new))
        .query(rs -> {
          counts.computeIfAbsent(rs.getString("experiment_id"), id -> new LinkedHashMap<>())
              .put(rs.getString("status"), rs.getInt("n"));
        });
    return counts;
  }

  /** What the report needs of every finished row. */
  List<ExperimentSummary.RowStats> stats(String experimentId) {
    return jdbc.sql("""
            select status, score, passed, latency_ms, prompt_tokens + completion_tokens as tokens, cost_usd
            from experiment_rows where experiment_id = :id""")
        .param("id", experimentId)
        .query((rs, n) -> new ExperimentSummary.RowStats("completed".equals(rs.getString("status")),
            (Double) rs.getObject("score"), (Boolean) rs.getObject("passed"), (Long) rs.getObject("latency_ms"),
            rs.getLong("tokens"), rs.getDouble("cost_usd")))
        .list();
  }

  /** Pass rate and mean score of each evaluator over the rows it evaluated. */
  List<Map<String, Object>> byEvaluator(String experimentId) {
    return jdbc.sql("""
            select e ->> 'evaluatorId' as id, e ->> 'name' as name, e ->> 'kind' as kind, count(*) as n,
              count(*) filter (where (e ->> 'passed')::boolean) as passed,
              count(*) filter (where e ->> 'error' is not null) as errored,
              avg((e ->> 'score')::float8) as mean
            from experiment_rows r cross join lateral jsonb_array_elements(r.evaluations) e
            where r.experiment_id = :id group by 1, 2, 3 order by 2, 1""")
        .param("id", experimentId)
        .query((rs, n) -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("evaluator_id", rs.getString("id"));
          out.put("name", rs.getString("name"));
          out.put("kind", rs.getString("kind"));
          out.put("rows", rs.getInt("n"));
          out.put("passed", rs.getInt("passed"));
          out.put("errored", rs.getInt("errored"));
          out.put("pass_rate", Math.round(10_000.0 * rs.getInt("passed") / rs.getInt("n")) / 10_000.0);
          Object mean = rs.getObject("mean");
          out.put("score_mean", mean == null ? null : Math.round(10_000.0 * rs.getDouble("mean")) / 10_000.0);
          return out;
        })
        .list();
  }

  /** Finished rows with index in [from, to), in order. */
  List<Row> rows(String experimentId, int from, int to) {
    return jdbc.sql("""
            select * from experiment_rows where experiment_id = :id and row_index >= :from and row_index < :to
            order by row_index""")
        .param("id", experimentId).param("from", from).param("to", to).query(rowRow).list();
  }

  /** Finished rows, {@code limit} from the {@code offset}th, in order of their index. */
  List<Row> rowPage(String experimentId, int offset, int limit) {
    return jdbc.sql("""
            select * from experiment_rows where experiment_id = :id order by row_index offset :offset limit :limit""")
        .param("id", experimentId).param("offset", offset).param("limit", limit).query(rowRow).list();
  }

  /** Each finished row's verdict, by index: what comparing two experiments counts over. */
  Map<Integer, Verdict> verdicts(String experimentId) {
    Map<Integer, Verdict> out = new LinkedHashMap<>();
    jdbc.sql("select row_index, status, passed, score from experiment_rows where experiment_id = :id order by row_index")
        .param("id", experimentId)
        .query(rs -> {
          out.put(rs.getInt("row_index"), new Verdict("completed".equals(rs.getString("status")),
              (Boolean) rs.getObject("passed"), (Double) rs.getObject("score")));
        });
    return out;
  }

  record Verdict(boolean completed, Boolean passed, Double score) {}

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> evaluations(String text) {
    return text == null ? List.of() : (List<Map<String, Object>>) json.read(text);
  }
}
