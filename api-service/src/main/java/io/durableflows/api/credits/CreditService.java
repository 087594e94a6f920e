package io.durableflows.api.credits;

import io.durableflows.api.errors.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-org FLOW credits. Every change to a balance is a ledger row written in the same transaction: a grant when
 * the account opens, top-ups, a pre-charge hold before a metered run, and its settlement (release of the hold,
 * charge of the real cost) written by the run's outcome activity.
 */
@Service
public class CreditService {
  private final JdbcClient jdbc;
  private final BigDecimal initialBalance;
  private final BigDecimal precharge;
  private final String topupUrl;

  public CreditService(JdbcClient jdbc, @Value("${df.credits.initial-balance:10}") BigDecimal initialBalance,
      @Value("${df.credits.precharge:0.5}") BigDecimal precharge,
      @Value("${df.credits.topup-url:/api/v1/credits}") String topupUrl) {
    this.jdbc = jdbc;
    this.initialBalance = initialBalance;
    this.precharge = precharge;
    this.topupUrl = topupUrl;
  }

  public record LedgerEntry(long id, String runId, String kind, BigDecimal amount, BigDecimal balanceAfter,
      String note, OffsetDateTime createdAt) {}

  /** The amount held before each metered run. */
  public BigDecimal precharge() {
    return precharge;
  }

  @Transactional
  public BigDecimal balance(String orgId) {
    open(orgId);
    return jdbc.sql("select balance from credit_accounts where org_id = :org").param("org", orgId)
        .query(BigDecimal.class).single();
  }

  /**
   * Holds the pre-charge for a run about to start; 402 {@code insufficient_flow} when the balance is short.
   *
   * @return the balance before the hold (what the gate saw)
   */
  @Transactional
  public BigDecimal hold(String orgId, String runId) {
    open(orgId);
    BigDecimal balance = lockedBalance(orgId);
    if (balance.compareTo(precharge) < 0) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("balance", format(balance));
      extra.put("topup_url", topupUrl);
      throw new ApiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_flow",
          "the balance (" + format(balance) + ") is below the pre-charge of " + format(precharge), extra);
    }
    move(orgId, runId, "hold", precharge.negate(), balance, "pre-charge hold");
    return balance;
  }

  /**
   * Gives a hold back when no run outcome will settle it (the run never started, or was lost). A hold already
   * released, here or by the outcome, stays released once.
   */
  @Transactional
  public void release(String orgId, String runId) {
    BigDecimal held = jdbc.sql("select -amount from credit_ledger where run_id = :run and kind = 'hold'")
        .param("run", runId).query(BigDecimal.class).optional().orElse(null);
    if (held != null) move(orgId, runId, "release", held, lockedBalance(orgId), "no outcome will settle the hold");
  }

  @Transactional
  public BigDecimal topUp(String orgId, BigDecimal amount, String note) {
    if (amount == null || amount.signum() <= 0) {
      throw ApiException.badRequest("invalid_request", "amount must be a positive number");
    }
    open(orgId);
    BigDecimal balance = lockedBalance(orgId);
    move(orgId, null, "topup", amount, balance, note == null ? "top-up" : note);
    return balance.add(amount);
  }

  public List<LedgerEntry> ledger(String orgId, int limit) {
    return jdbc.sql("""
            select id, run_id, kind, amount, balance_after, note, created_at from credit_ledger
            where org_id = :org order by id desc limit :limit""")
        .param("org", orgId).param("limit", limit)
        .query((rs, n) -> new LedgerEntry(rs.getLong("id"), rs.getString("run_id"), rs.getString("kind"),
            rs.getBigDecimal("amount"), rs.getBigDecimal("balance_after"), rs.getString("note"),
            rs.getObject("created_at", OffsetDateTime.class)))
        .list();
  }

  /** Credits as the agent API shows them: a plain decimal string ("12.345"). */
  public static String format(BigDecimal amount) {
    BigDecimal scaled = amount.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return (scaled.scale() < 0 ? scaled.setScale(0) : scaled).toPlainString();
  }

  /** Opens the account with its initial grant the first time the org touches credits. */
  private void open(String orgId) {
    int created = jdbc.sql("""
            insert into credit_accounts (org_id, balance) values (:org, :balance) on conflict (org_id) do nothing""")
        .param("org", orgId).param("balance", initialBalance).update();
    if (created == 1) {
      jdbc.sql("""
              insert into credit_ledger (org_id, kind, amount, balance_after, note)
              values (:org, 'grant', :amount, :amount, 'initial balance')""")
          .param("org", orgId).param("amount", initialBalance).update();
    }
  }

  private BigDecimal lockedBalance(String orgId) {
    return jdbc.sql("select balance from credit_accounts where org_id = :org for update").param("org", orgId)
        .query(BigDecimal.class).single();
  }

  /**
   * One ledger row and the matching balance change; a run's row of a kind is written once (the same rule as the
   * outcome activity's settlement, which may race with a release here).
   */
  private void move(String orgId, String runId, String kind, BigDecimal amount, BigDecimal before, String note) {
    int inserted = jdbc.sql("""
            insert into credit_ledger (org_id, run_id, kind, amount, balance_after, note)
            values (:org, :run, :kind, :amount, :after, :note)
            on conflict (run_id, kind) where run_id is not null do nothing""")
        .param("org", orgId).param("run", runId).param("kind", kind).param("amount", amount)
        .param("after", before.add(amount)).param("note", note).update();
    if (inserted == 1) {
      jdbc.sql("update credit_accounts set balance = balance + :amount, updated_at = now() where org_id = :org")
          .param("amount", amount).param("org", orgId).update();
    }
  }
}
