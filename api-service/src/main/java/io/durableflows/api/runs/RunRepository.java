package io.durableflows.api.runs;

import io.durableflows.api.support.Json;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class RunRepository {
  private final JdbcClient jdbc;
  private final Json json;
  private final RowMapper<RunRecord> row;

  public RunRepository(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
    this.row = (rs, n) -> new RunRecord(rs.getString("id"), rs.getString("org_id"), rs.getString("project_id"),
        rs.getString("flow_id"), rs.getString("flow_slug"), rs.getString("release_id"), rs.getString("version"),
        rs.getString("flow_history_id"), rs.getString("flow_session_id"), rs.getString("channel"),
        rs.getString("status"), json.readMap(rs.getString("input")), json.readMap(rs.getString("metadata")),
        json.read(rs.getString("output")), rs.getString("output_text"), rs.getLong("prompt_tokens"),
        rs.getLong("completion_tokens"), rs.getLong("total_tokens"), rs.getDouble("cost_usd"),
        rs.getString("error_type"), rs.getString("error_message"), rs.getString("workflow_id"),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class), (Long) rs.getObject("duration_ms"),
        rs.getBoolean("background"));
  }

  public record NewRun(String id, String orgId, String projectId, String flowId, String flowSlug, String releaseId,
      String version, String flowHistoryId, String flowSessionId, String channel, Map<String, Object> input,
      Map<String, Object> metadata, String workflowId, boolean background) {}

  public void insert(NewRun run) {
    jdbc.sql("""
            insert into runs (id, org_id, project_id, flow_id, flow_slug, release_id, version, flow_history_id,
              flow_session_id, channel, status, input, metadata, workflow_id, background, started_at)
            values (:id, :org, :project, :flow, :slug, :release, :version, :history, :session, :channel, 'running',
              cast(:input as json), cast(:metadata as json), :workflow, :background, clock_timestamp())""")
        .param("id", run.id()).param("org", run.orgId()).param("project", run.projectId())
        .param("flow", run.flowId()).param("slug", run.flowSlug()).param("release", run.releaseId())
        .param("version", run.version()).param("history", run.flowHistoryId()).param("session", run.flowSessionId())
        .param("channel", run.channel()).param("input", json.write(run.input()))
        .param("metadata", json.write(run.metadata())).param("workflow", run.workflowId())
        .param("background", run.background())
        .update();
  }

  /** Completed runs of one flow in one session, oldest first: a chat's history. */
  public List<RunRecord> completedInSession(String orgId, String flowId, String sessionId, int limit) {
    List<RunRecord> newestFirst = jdbc.sql("""
            select * from runs where org_id = :org and flow_id = :flow and flow_session_id = :session
              and status = 'completed' order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("flow", flowId).param("session", sessionId).param("limit", limit)
        .query(row).list();
    return newestFirst.reversed();
  }

  /**
   * The run's side effects as its activities journaled them, oldest first: one per model or tool call, however
   * many attempts it took, with the activity execution that made it.
   */
  public List<Map<String, Object>> calls(String runId) {
    return jdbc.sql("""
            select kind, node_id, name, idempotency_key, activity_id, attempt, created_at from call_journal
            where run_id = :run order by created_at, idempotency_key""")
        .param("run", runId)
        .query((rs, n) -> {
          Map<String, Object> call = new java.util.LinkedHashMap<>();
          call.put("kind", rs.getString("kind"));
          call.put("node", rs.getString("node_id"));
          call.put("name", rs.getString("name"));
          call.put("idempotency_key", rs.getString("idempotency_key"));
          call.put("activity_id", rs.getString("activity_id"));
          call.put("attempt", rs.getInt("attempt"));
          call.put("at", rs.getObject("created_at", OffsetDateTime.class));
          return call;
        })
        .list();
  }

  /** A run's status, whatever its org: for code that already holds the run it started. */
  public Optional<String> statusOf(String id) {
    return jdbc.sql("select status from runs where id = :id").param("id", id).query(String.class).optional();
  }

  public Optional<RunRecord> find(String orgId, String id) {
    return jdbc.sql("select * from runs where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).query(row).optional();
  }

  /** A page of the org's runs, newest first, after the keyset position ({@code createdAt}, {@code id}). */
  public List<RunRecord> page(String orgId, String flowSlug, String status, String parentRunId,
      OffsetDateTime afterCreated, String afterId, int limit) {
    return jdbc.sql("""
            select * from runs where org_id = :org
              and (cast(:flow as text) is null or flow_slug = :flow)
              and (cast(:status as text) is null or status = :status)
              and (cast(:parent as text) is null or parent_run_id = :parent)
              and (cast(:afterCreated as timestamptz) is null or (created_at, id) < (:afterCreated, :afterId))
            order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("flow", flowSlug).param("status", status).param("parent", parentRunId)
        .param("afterCreated", afterCreated).param("afterId", afterId).param("limit", limit)
        .query(row).list();
  }

  /** Runs of every org that PostgreSQL shows running or waiting, oldest first. */
  public List<RunRecord> active(int limit) {
    return jdbc.sql("select * from runs where status in ('running', 'waiting') order by created_at limit :limit")
        .param("limit", limit).query(row).list();
  }

  /** The org's running and waiting runs, oldest first. */
  public List<RunRecord> active(String orgId, int limit) {
    return jdbc.sql("""
            select * from runs where org_id = :org and status in ('running', 'waiting')
            order by created_at, id limit :limit""")
        .param("org", orgId).param("limit", limit).query(row).list();
  }

  /**
   * Ends a run the workflow can no longer record (lost, never started, ended without an outcome), closing the
   * requests it waited on. Only a running or waiting run changes.
   */
  public void markEnded(String id, String status, String errorType, String errorMessage) {
    int changed = jdbc.sql("""
            update runs set status = :status, error_type = :type, error_message = :message,
              finished_at = coalesce(finished_at, now()),
              duration_ms = (extract(epoch from (coalesce(finished_at, now()) - started_at)) * 1000)::bigint
            where id = :id and status in ('running', 'waiting')""")
        .param("status", status).param("type", errorType).param("message", errorMessage).param("id", id)
        .update();
    if (changed > 0) {
      jdbc.sql("""
              update human_requests set status = 'cancelled', resolved_at = now(),
                comment = 'the run ended (' || :status || ') before an answer'
              where run_id = :id and status = 'pending'""")
          .param("status", status).param("id", id).update();
    }
  }

  public void markStartFailed(String id, String message) {
    markEnded(id, "failed", "StartFailed", message);
  }
}
