package io.durableflows.activities.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Turns a run's credit hold into its real cost: the hold is released, and a completed run is charged what its
 * token usage cost at the model price table. Runs the caller's transaction; a run without a hold is left alone.
 */
final class CreditSettlement {
  private CreditSettlement() {}

  static void settle(JdbcClient jdbc, String runId, boolean completed, double costUsd) {
    Optional<Hold> hold = jdbc.sql("select org_id, -amount as held from credit_ledger where run_id = :run and kind = 'hold'")
        .param("run", runId)
        .query((rs, n) -> new Hold(rs.getString("org_id"), rs.getBigDecimal("held")))
        .optional();
    if (hold.isEmpty()) return;
    String org = hold.get().orgId();
    move(jdbc, org, runId, "release", hold.get().amount(), "hold released");
    if (completed) {
      BigDecimal cost = BigDecimal.valueOf(costUsd).setScale(8, RoundingMode.HALF_UP);
      move(jdbc, org, runId, "charge", cost.negate(), "run cost from token usage");
    }
  }

  /** One ledger row and the matching balance change, unless this run already has a row of this kind. */
  private static void move(JdbcClient jdbc, String org, String runId, String kind, BigDecimal amount, String note) {
    // Lock the account first so balance_after is exact under concurrent settlements.
    BigDecimal balance = jdbc.sql("select balance from credit_accounts where org_id = :org for update")
        .param("org", org).query(BigDecimal.class).single();
    int inserted = jdbc.sql("""
            insert into credit_ledger (org_id, run_id, kind, amount, balance_after, note)
            values (:org, :run, :kind, :amount, :after, :note)
            on conflict (run_id, kind) where run_id is not null do nothing""")
        .param("org", org).param("run", runId).param("kind", kind).param("amount", amount)
        .param("after", balance.add(amount)).param("note", note)
        .update();
    if (inserted == 1) {
      jdbc.sql("update credit_accounts set balance = balance + :amount, updated_at = now() where org_id = :org")
          .param("amount", amount).param("org", org).update();
    }
  }

  private record Hold(String orgId, BigDecimal amount) {}
}
