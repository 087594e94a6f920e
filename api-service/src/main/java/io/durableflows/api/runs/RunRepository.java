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
        rs.getObject("finished_at", OffsetDateTime.class), (Long) rs.getObject("duration_ms"));
  }

  public record NewRun(String id, String orgId, String projectId, String flowId, String flowSlug, String releaseId,
      String version, String flowHistoryId, String flowSessionId, String channel, Map<String, Object> input,
      Map<String, Object> metadata, String workflowId) {}

  public void insert(NewRun run) {
    jdbc.sql("""
            insert into runs (id, org_id, project_id, flow_id, flow_slug, release_id, version, flow_history_id,
              flow_session_id, channel, status, input, metadata, workflow_id, started_at)
            values (:id, :org, :project, :flow, :slug, :release, :version, :history, :session, :channel, 'running',
              cast(:input as json), cast(:metadata as json), :workflow, clock_timestamp())""")
        .param("id", run.id()).param("org", run.orgId()).param("project", run.projectId())
        .param("flow", run.flowId()).param("slug", run.flowSlug()).param("release", run.releaseId())
        .param("version", run.version()).param("history", run.flowHistoryId()).param("session", run.flowSessionId())
        .param("channel", run.channel()).param("input", json.write(run.input()))
        .param("metadata", json.write(run.metadata())).param("workflow", run.workflowId())
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

  public Optional<RunRecord> find(String orgId, String id) {
    return jdbc.sql("select * from runs where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).query(row).optional();
  }

  /** A page of the org's runs, newest first, after the keyset position ({@code createdAt}, {@code id}). */
  public List<RunRecord> page(String orgId, String flowSlug, String status, OffsetDateTime afterCreated,
      String afterId, int limit) {
    return jdbc.sql("""
            select * from runs where org_id = :org
              and (cast(:flow as text) is null or flow_slug = :flow)
              and (cast(:status as text) is null or status = :status)
              and (cast(:afterCreated as timestamptz) is null or (created_at, id) < (:afterCreated, :afterId))
            order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("flow", flowSlug).param("status", status)
        .param("afterCreated", afterCreated).param("afterId", afterId).param("limit", limit)
        .query(row).list();
  }

  public List<RunRecord> running(int limit) {
    return jdbc.sql("select * from runs where status = 'running' order by created_at limit :limit")
        .param("limit", limit).query(row).list();
  }

  public void markEnded(String id, String status, String errorType, String errorMessage) {
    jdbc.sql("""
            update runs set status = :status, error_type = :type, error_message = :message,
              finished_at = coalesce(finished_at, now()),
              duration_ms = (extract(epoch from (coalesce(finished_at, now()) - started_at)) * 1000)::bigint
            where id = :id and status = 'running'""")
        .param("status", status).param("type", errorType).param("message", errorMessage).param("id", id)
        .update();
  }

  public void markStartFailed(String id, String message) {
    markEnded(id, "failed", "StartFailed", message);
  }
}
