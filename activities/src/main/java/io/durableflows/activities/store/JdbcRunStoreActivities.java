package io.durableflows.activities.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.store.LlmCallRecord;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a run's final state, its event log, and settles its credit hold if it has one, in one transaction.
 * Idempotent: a retried activity rewrites the same row and upserts the same rows (a run's outcome is
 * deterministic, so a retry carries the same calls and events); the ledger's unique (run, kind) keeps a hold
 * from being settled twice.
 */
public class JdbcRunStoreActivities implements RunStoreActivities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JdbcRunStoreActivities(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public void recordOutcome(RunOutcome outcome) {
    String output = toJson(outcome.output());
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              update runs set status = :status, output = cast(:output as json), output_text = :text,
                prompt_tokens = :prompt, completion_tokens = :completion, total_tokens = :total, cost_usd = :cost,
                error_type = :errorType, error_message = :errorMessage,
                finished_at = coalesce(finished_at, now()),
                duration_ms = (extract(epoch from (coalesce(finished_at, now()) - started_at)) * 1000)::bigint
              where id = :id""")
          .param("status", outcome.status())
          .param("output", output)
          .param("text", outcome.text())
          .param("prompt", outcome.usage().promptTokens())
          .param("completion", outcome.usage().completionTokens())
          .param("total", outcome.usage().totalTokens())
          .param("cost", outcome.costUsd())
          .param("errorType", outcome.errorType())
          .param("errorMessage", outcome.errorMessage())
          .param("id", outcome.runId())
          .update();
      int seq = 0;
      for (LlmCallRecord call : outcome.llmCalls()) {
        jdbc.sql("""
                insert into llm_calls (run_id, seq, node_id, provider, model, prompt_tokens, completion_tokens,
                  cost_usd, duration_ms)
                values (:run, :seq, :node, :provider, :model, :prompt, :completion, :cost, :duration)
                on conflict (run_id, seq) do update set node_id = excluded.node_id, provider = excluded.provider,
                  model = excluded.model, prompt_tokens = excluded.prompt_tokens,
                  completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd,
                  duration_ms = excluded.duration_ms""")
            .param("run", outcome.runId())
            .param("seq", seq++)
            .param("node", call.nodeId())
            .param("provider", call.provider())
            .param("model", call.model())
            .param("prompt", call.usage().promptTokens())
            .param("completion", call.usage().completionTokens())
            .param("cost", call.costUsd())
            .param("duration", call.durationMs())
            .update();
      }
      if (outcome.events() != null && !outcome.events().isEmpty()) {
        // One statement for the whole log: a round trip per event would cost more than the rest of the write.
        jdbc.sql("""
                insert into run_events (run_id, seq, type, node_id, data)
                select :run, e.seq, e.type, e.node, e.data
                from jsonb_to_recordset(cast(:events as jsonb)) as e(seq bigint, type text, node text, data jsonb)
                on conflict (run_id, seq) do nothing""")
            .param("run", outcome.runId())
            .param("events", toJson(outcome.events()))
            .update();
      }
      CreditSettlement.settle(jdbc, outcome.runId(), RunOutcome.COMPLETED.equals(outcome.status()),
          outcome.costUsd());
    });
  }

  private static String toJson(Object value) {
    if (value == null) return null;
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("run output is not JSON-serialisable", e);
    }
  }
}
