package io.durableflows.activities.journal;

import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The call journal in PostgreSQL ({@code call_journal}, keyed by idempotency key). */
public final class JdbcCallJournal implements CallJournal {
  private final JdbcClient jdbc;

  public JdbcCallJournal(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  public Optional<String> find(String idempotencyKey) {
    if (idempotencyKey == null) return Optional.empty();
    return jdbc.sql("select result::text from call_journal where idempotency_key = :key")
        .param("key", idempotencyKey).query(String.class).optional();
  }

  @Override
  public String record(Entry e) {
    if (e.idempotencyKey() == null) return e.resultJson();
    Optional<String> inserted = jdbc.sql("""
            insert into call_journal (idempotency_key, run_id, node_id, kind, name, activity_id, attempt, arguments,
              result)
            values (:key, :run, :node, :kind, :name, :activity, :attempt, cast(:arguments as jsonb),
              cast(:result as jsonb))
            on conflict (idempotency_key) do nothing
            returning result::text""")
        .param("key", e.idempotencyKey()).param("run", e.runId()).param("node", e.nodeId()).param("kind", e.kind())
        .param("name", e.name()).param("activity", e.activityId()).param("attempt", e.attempt())
        .param("arguments", e.argumentsJson()).param("result", e.resultJson())
        .query(String.class).optional();
    return inserted.or(() -> find(e.idempotencyKey())).orElse(e.resultJson());
  }
}
