package io.durableflows.api.approvals;

import io.durableflows.api.support.Json;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code human_requests} (rows the run workflow writes), and the sweeps the API does itself. */
@Repository
class HumanRequestRepository {
  private final JdbcClient jdbc;
  private final RowMapper<HumanRequestRecord> row;

  @SuppressWarnings("unchecked")
  HumanRequestRepository(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.row = (rs, n) -> new HumanRequestRecord(rs.getString("id"), rs.getString("org_id"), rs.getString("run_id"),
        rs.getString("flow_id"), rs.getString("flow_slug"), rs.getString("node_id"), rs.getString("kind"),
        rs.getString("tool"), rs.getString("message"), json.read(rs.getString("context")),
        json.readMap(rs.getString("arguments")), json.readMap(rs.getString("arguments_schema")),
        rs.getString("reason"), rs.getString("answer_type"), (List<String>) json.read(rs.getString("choices")),
        json.readMap(rs.getString("answer_schema")), rs.getString("timeout_decision"),
        json.read(rs.getString("timeout_answer")), rs.getString("status"), rs.getString("decision"),
        json.read(rs.getString("answer")), json.readMap(rs.getString("final_arguments")),
        rs.getBoolean("arguments_modified"), rs.getString("comment"), rs.getString("responder_id"),
        rs.getString("responder_name"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("expires_at", OffsetDateTime.class), rs.getObject("resolved_at", OffsetDateTime.class),
        (Long) rs.getObject("wait_ms"));
  }

  Optional<HumanRequestRecord> find(String orgId, String id) {
    return jdbc.sql("select * from human_requests where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).query(row).optional();
  }

  List<HumanRequestRecord> ofRun(String runId) {
    return jdbc.sql("select * from human_requests where run_id = :run order by created_at, id")
        .param("run", runId).query(row).list();
  }

  /** Pending request ids per run, oldest first, for many runs at once. */
  Map<String, List<String>> pendingIds(List<String> runIds) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    if (runIds.isEmpty()) return ids;
    jdbc.sql("""
            select run_id, id from human_requests where run_id in (:runs) and status = 'pending'
            order by created_at, id""")
        .param("runs", runIds)
        .query(rs -> {
          ids.computeIfAbsent(rs.getString("run_id"), k -> new java.util.ArrayList<>()).add(rs.getString("id"));
        });
    return ids;
  }

  /** Pending requests of one kind, oldest first, after the keyset position ({@code afterCreated}, {@code afterId}). */
  List<HumanRequestRecord> pending(String orgId, String kind, String flow, String runId, String tool,
      OffsetDateTime afterCreated, String afterId, int limit) {
    return jdbc.sql("""
            select * from human_requests where org_id = :org and kind = :kind and status = 'pending'
              and (cast(:flow as text) is null or flow_slug = :flow or flow_id = :flow)
              and (cast(:run as text) is null or run_id = :run)
              and (cast(:tool as text) is null or tool = :tool)
              and (cast(:afterCreated as timestamptz) is null or (created_at, id) > (:afterCreated, :afterId))
            order by created_at, id limit :limit""")
        .param("org", orgId).param("kind", kind).param("flow", flow).param("run", runId).param("tool", tool)
        .param("afterCreated", afterCreated).param("afterId", afterId).param("limit", limit)
        .query(row).list();
  }

  /** Whether the org ever had an approval for this tool. */
  boolean toolSeen(String orgId, String tool) {
    return jdbc.sql("select exists (select 1 from human_requests where org_id = :org and tool = :tool)")
        .param("org", orgId).param("tool", tool).query(Boolean.class).single();
  }

  /** Counts by status, approve rate and wait percentiles of the org's approvals, optionally of one tool. */
  Map<String, Object> stats(String orgId, String tool) {
    return jdbc.sql("""
            select count(*) as total,
              count(*) filter (where status = 'pending') as pending,
              count(*) filter (where status = 'approved') as approved,
              count(*) filter (where status = 'denied') as denied,
              count(*) filter (where status = 'expired') as expired,
              count(*) filter (where status = 'cancelled') as cancelled,
              count(*) filter (where arguments_modified) as modified,
              percentile_cont(0.5) within group (order by wait_ms) filter (where responder_id is not null)
                as median_wait_ms,
              percentile_cont(0.95) within group (order by wait_ms) filter (where responder_id is not null)
                as p95_wait_ms,
              min(created_at) filter (where status = 'pending') as oldest_pending_at,
              max(created_at) as last_requested_at
            from human_requests
            where org_id = :org and kind = 'approval' and (cast(:tool as text) is null or tool = :tool)""")
        .param("org", orgId).param("tool", tool)
        .query((rs, n) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          long approved = rs.getLong("approved");
          long denied = rs.getLong("denied");
          m.put("total", rs.getLong("total"));
          m.put("pending", rs.getLong("pending"));
          m.put("approved", approved);
          m.put("denied", denied);
          m.put("expired", rs.getLong("expired"));
          m.put("cancelled", rs.getLong("cancelled"));
          m.put("approved_with_modified_arguments", rs.getLong("modified"));
          m.put("approve_rate", approved + denied == 0 ? null : (double) approved / (approved + denied));
          m.put("median_wait_ms", wholeMillis(rs.getObject("median_wait_ms")));
          m.put("p95_wait_ms", wholeMillis(rs.getObject("p95_wait_ms")));
          m.put("oldest_pending_at", rs.getObject("oldest_pending_at", OffsetDateTime.class));
          m.put("last_requested_at", rs.getObject("last_requested_at", OffsetDateTime.class));
          return m;
        })
        .single();
  }

  private static Long wholeMillis(Object value) {
    return value instanceof Number n ? Math.round(n.doubleValue()) : null;
  }

  /** The org's pending approvals and questions now, per kind, with the oldest and how many expire within the hour. */
  Map<String, Object> pendingSummary(String orgId) {
    return jdbc.sql("""
            select count(*) filter (where kind = 'approval') as approvals,
              count(*) filter (where kind = 'question') as questions,
              min(created_at) as oldest,
              count(*) filter (where expires_at < now() + interval '1 hour') as expiring
            from human_requests where org_id = :org and status = 'pending'""")
        .param("org", orgId)
        .query((rs, n) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pending_approvals", rs.getLong("approvals"));
          m.put("pending_questions", rs.getLong("questions"));
          m.put("oldest_pending_at", rs.getObject("oldest", OffsetDateTime.class));
          m.put("expiring_within_1h", rs.getLong("expiring"));
          return m;
        })
        .single();
  }

  /** Counts by status of the requests created in the last day. */
  Map<String, Object> lastDay(String orgId) {
    Map<String, Object> counts = new LinkedHashMap<>();
    for (String status : List.of("pending", "approved", "denied", "answered", "expired", "cancelled")) {
      counts.put(status, 0L);
    }
    jdbc.sql("""
            select status, count(*) as n from human_requests
            where org_id = :org and created_at > now() - interval '24 hours' group by status""")
        .param("org", orgId)
        .query(rs -> {
          counts.put(rs.getString("status"), rs.getLong("n"));
        });
    return counts;
  }

  /** Pending approvals per flow and per tool, most first (at most ten each). */
  List<Map<String, Object>> pendingBy(String orgId, String column) {
    String expression = "tool".equals(column) ? "tool" : "flow_slug";
    return jdbc.sql("select " + expression + " as key, count(*) as n from human_requests where org_id = :org "
            + "and kind = 'approval' and status = 'pending' and " + expression + " is not null "
            + "group by " + expression + " order by n desc, key limit 10")
        .param("org", orgId)
        .query((rs, n) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("tool".equals(column) ? "tool" : "flow", rs.getString("key"));
          m.put("pending", rs.getLong("n"));
          return m;
        })
        .list();
  }

  /**
   * Pending requests whose time ran out more than {@code graceSeconds} ago: the run's timer should have resolved
   * them, so the run is gone or its workers are down. They take their timeout decision or answer here; a run that
   * comes back records the same.
   */
  List<String> expireOverdue(String orgId, long graceSeconds) {
    return jdbc.sql("""
            update human_requests set status = 'expired',
              decision = case when kind = 'approval' then coalesce(timeout_decision, 'deny') end,
              answer = case when kind = 'question' then timeout_answer end,
              comment = 'no answer before the timeout', resolved_at = expires_at,
              wait_ms = (extract(epoch from (expires_at - created_at)) * 1000)::bigint
            where org_id = :org and status = 'pending' and expires_at < now() - make_interval(secs => :grace)
            returning id""")
        .param("org", orgId).param("grace", graceSeconds).query(String.class).list();
  }

  /** Pending requests of runs that have ended (failed, cancelled, lost): nobody waits for their answer. */
  List<String> closeOrphans(String orgId) {
    return jdbc.sql("""
            update human_requests h set status = 'cancelled', resolved_at = now(),
              comment = 'the run ended (' || r.status || ') before an answer'
            from runs r
            where h.org_id = :org and h.status = 'pending' and r.id = h.run_id
              and r.status not in ('running', 'waiting')
            returning h.id""")
        .param("org", orgId).query(String.class).list();
  }
}
