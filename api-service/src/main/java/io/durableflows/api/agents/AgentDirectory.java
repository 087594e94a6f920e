package io.durableflows.api.agents;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which flows are agents, for lists and counts. An agent is a flow with exactly one {@code agent} node; the test
 * runs in SQL over the stored document so that pages are keyset pages like every other list.
 */
@Repository
class AgentDirectory {
  private static final String IS_AGENT = """
      (select count(*) from json_array_elements(case when json_typeof(f.definition -> 'nodes') = 'array'
        then f.definition -> 'nodes' else '[]'::json end) n where n ->> 'type' = 'agent') = 1""";
  private final JdbcClient jdbc;

  AgentDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Ids of live agents, newest first, after the cursor position if any. */
  List<String> page(String orgId, OffsetDateTime afterCreatedAt, String afterId, int limit) {
    return jdbc.sql("select f.id from flows f where f.org_id = :org and f.deleted_at is null and " + IS_AGENT + """
             and (cast(:after as timestamptz) is null or (f.created_at, f.id) < (cast(:after as timestamptz), :afterId))
            order by f.created_at desc, f.id desc limit :limit""")
        .param("org", orgId).param("after", afterCreatedAt).param("afterId", afterId).param("limit", limit)
        .query(String.class).list();
  }

  /** Ids of every agent of the org, live or tombstoned. */
  List<String> allIds(String orgId) {
    return jdbc.sql("select f.id from flows f where f.org_id = :org and " + IS_AGENT)
        .param("org", orgId).query(String.class).list();
  }

  long tombstoned(String orgId) {
    return jdbc.sql("select count(*) from flows f where f.org_id = :org and f.deleted_at is not null and " + IS_AGENT)
        .param("org", orgId).query(Long.class).single();
  }

  /** Run counts of these flows: total, last 24 hours, and by status; and when the last one started. */
  Map<String, Object> runCounts(String orgId, List<String> flowIds) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (flowIds.isEmpty()) {
      out.put("total", 0L);
      out.put("last_24h", 0L);
      out.put("by_status", Map.of());
      out.put("last_run_at", null);
      return out;
    }
    jdbc.sql("""
            select count(*) as total, count(*) filter (where created_at > now() - interval '24 hours') as recent,
              max(created_at) as last_run_at
            from runs where org_id = :org and flow_id in (:flows)""")
        .param("org", orgId).param("flows", flowIds)
        .query((rs, n) -> {
          out.put("total", rs.getLong("total"));
          out.put("last_24h", rs.getLong("recent"));
          out.put("last_run_at", rs.getObject("last_run_at", OffsetDateTime.class));
          return null;
        }).list();
    Map<String, Long> byStatus = new LinkedHashMap<>();
    jdbc.sql("select status, count(*) as n from runs where org_id = :org and flow_id in (:flows) group by status order by status")
        .param("org", orgId).param("flows", flowIds)
        .query((rs, n) -> byStatus.put(rs.getString("status"), rs.getLong("n"))).list();
    out.put("by_status", byStatus);
    return out;
  }
}
