package io.durableflows.api.evals;

import io.durableflows.api.support.Json;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code eval_jobs} and {@code eval_results} rows, as the API reads and creates them. */
@Component
class EvalJobRepository {
  private final JdbcClient jdbc;
  private final Json json;

  EvalJobRepository(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  record JobRow(String id, String orgId, String orgCode, String runId, String flowSlug, String status,
      String workflowId, String selection, String error, OffsetDateTime createdAt, OffsetDateTime finishedAt) {}

  record ResultRow(int index, String evaluatorId, String name, String kind, Double score, Boolean passed,
      String reason, long promptTokens, long completionTokens, double costUsd, long durationMs, String error) {}

  /** An open job and the run it evaluates, as the start-up sweep restarts it. */
  record OpenJob(JobRow job, Map<String, Object> input, Object output, String runStatus, String runWorkflowId) {}

  void insert(String id, String orgId, String runId, String flowSlug, String selection, String workflowId) {
    jdbc.sql("""
            insert into eval_jobs (id, org_id, run_id, flow_slug, status, selection, workflow_id)
            values (:id, :org, :run, :flow, 'pending', cast(:selection as json), :workflow)""")
        .param("id", id).param("org", orgId).param("run", runId).param("flow", flowSlug)
        .param("selection", selection).param("workflow", workflowId)
        .update();
  }

  Optional<JobRow> find(String orgId, String id) {
    return jdbc.sql(SELECT_JOB + " where j.id = :id and j.org_id = :org").param("id", id).param("org", orgId)
        .query(EvalJobRepository::job).optional();
  }

  /** The latest job of a run (what a retried request with the same Idempotency-Key started). */
  Optional<String> latestOf(String orgId, String runId) {
    return jdbc.sql("select id from eval_jobs where org_id = :org and run_id = :run order by created_at desc limit 1")
        .param("org", orgId).param("run", runId).query(String.class).optional();
  }

  List<ResultRow> results(String jobId) {
    return jdbc.sql("select * from eval_results where job_id = :job order by idx").param("job", jobId)
        .query((rs, n) -> new ResultRow(rs.getInt("idx"), rs.getString("evaluator_id"), rs.getString("name"),
            rs.getString("kind"), (Double) rs.getObject("score"), (Boolean) rs.getObject("passed"),
            rs.getString("reason"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
            rs.getDouble("cost_usd"), rs.getLong("duration_ms"), rs.getString("error")))
        .list();
  }

  /** Pending and running jobs, oldest first. */
  List<OpenJob> open(int limit) {
    return jdbc.sql(SELECT_OPEN + " order by j.created_at limit :limit").param("limit", limit).query(this::openRow)
        .list();
  }

  Optional<OpenJob> openJob(String id) {
    return jdbc.sql(SELECT_OPEN + " and j.id = :id").param("id", id).query(this::openRow).optional();
  }

  private static final String SELECT_OPEN = """
      select j.id, j.org_id, o.org_code, j.run_id, j.flow_slug, j.status, j.workflow_id,
        j.selection::text as selection, j.error, j.created_at, j.finished_at,
        r.input::text as run_input, r.output::text as run_output, r.status as run_status,
        r.workflow_id as run_workflow_id
      from eval_jobs j join organizations o on o.id = j.org_id left join runs r on r.id = j.run_id
      where j.status in ('pending', 'running')""";

  private OpenJob openRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new OpenJob(job(rs, n), json.readMap(rs.getString("run_input")), json.read(rs.getString("run_output")),
        rs.getString("run_status"), rs.getString("run_workflow_id"));
  }

  void markFailed(String id, String error) {
    jdbc.sql("""
            update eval_jobs set status = 'failed', error = :error,
              finished_at = coalesce(finished_at, clock_timestamp())
            where id = :id and status in ('pending', 'running')""")
        .param("id", id).param("error", error).update();
  }

  private static final String SELECT_JOB = """
      select j.id, j.org_id, o.org_code, j.run_id, j.flow_slug, j.status, j.workflow_id,
        j.selection::text as selection, j.error, j.created_at, j.finished_at
      from eval_jobs j join organizations o on o.id = j.org_id""";

  private static JobRow job(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new JobRow(rs.getString("id"), rs.getString("org_id"), rs.getString("org_code"), rs.getString("run_id"),
        rs.getString("flow_slug"), rs.getString("status"), rs.getString("workflow_id"), rs.getString("selection"),
        rs.getString("error"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class));
  }
}
