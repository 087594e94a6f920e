package io.durableflows.api.runs;

import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code idempotency_keys}: which run a key started, per org. */
@Repository
class IdempotencyKeys {
  private final JdbcClient jdbc;

  IdempotencyKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The run an earlier request with this key started, and what that request asked. */
  record Claim(String runId, String requestHash) {}

  /**
   * Claims the key for {@code runId}; empty when this request now owns it, else the earlier claim. Claims older
   * than {@code ttl} are forgotten first, so the key can start a new run.
   */
  Optional<Claim> claim(String orgId, Idempotency idempotency, String runId, Duration ttl) {
    // Every expired key of the org goes, not only this one: nothing else purges them.
    jdbc.sql("delete from idempotency_keys where org_id = :org and created_at < now() - make_interval(secs => :ttl)")
        .param("org", orgId).param("ttl", ttl.toSeconds()).update();
    int inserted = jdbc.sql("""
            insert into idempotency_keys (org_id, key, request_hash, run_id) values (:org, :key, :hash, :run)
            on conflict (org_id, key) do nothing""")
        .param("org", orgId).param("key", idempotency.key()).param("hash", idempotency.requestHash())
        .param("run", runId).update();
    if (inserted == 1) return Optional.empty();
    return jdbc.sql("select run_id, request_hash from idempotency_keys where org_id = :org and key = :key")
        .param("org", orgId).param("key", idempotency.key())
        .query((rs, n) -> new Claim(rs.getString("run_id"), rs.getString("request_hash")))
        .optional();
  }

  /** The live claim on a key, if any (a claim older than {@code ttl} is as good as none). */
  Optional<Claim> find(String orgId, String key, Duration ttl) {
    return jdbc.sql("""
            select run_id, request_hash from idempotency_keys where org_id = :org and key = :key
              and created_at >= now() - make_interval(secs => :ttl)""")
        .param("org", orgId).param("key", key).param("ttl", ttl.toSeconds())
        .query((rs, n) -> new Claim(rs.getString("run_id"), rs.getString("request_hash")))
        .optional();
  }

  /** Frees the key of a run that could not be started, so a retry can start it afresh. */
  void release(String orgId, Idempotency idempotency, String runId) {
    jdbc.sql("delete from idempotency_keys where org_id = :org and key = :key and run_id = :run")
        .param("org", orgId).param("key", idempotency.key()).param("run", runId).update();
  }
}
