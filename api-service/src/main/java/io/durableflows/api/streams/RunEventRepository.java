package io.durableflows.api.streams;

import io.durableflows.api.support.Json;
import io.durableflows.workflows.events.RunEvent;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The event logs of finished runs, written by the run workflow's outcome activity. */
@Repository
class RunEventRepository {
  private final JdbcClient jdbc;
  private final Json json;

  RunEventRepository(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  List<RunEvent> after(String runId, long afterSeq) {
    return jdbc.sql("select seq, type, node_id, data from run_events where run_id = :run and seq > :after order by seq")
        .param("run", runId).param("after", afterSeq)
        .query((rs, n) -> new RunEvent(rs.getLong("seq"), rs.getString("type"), rs.getString("node_id"),
            json.readMap(rs.getString("data"))))
        .list();
  }
}
