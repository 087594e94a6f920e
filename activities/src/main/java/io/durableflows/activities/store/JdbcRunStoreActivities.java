package io.durableflows.activities.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.durableflows.workflows.store.LlmCallRecord;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a run's final state, its event log, and settles its credit hold if it has one, in one transaction; and
 * the requests to people the run waits on. Idempotent: a retried activity rewrites the same row and upserts the
 * same rows (a run's outcome is deterministic, so a retry carries the same calls and events); the ledger's
 * unique (run, kind) keeps a hold from being settled twice.
 */
public class JdbcRunStoreActivities implements RunStoreActivities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ChildRunPreparer children;

  public JdbcRunStoreActivities(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.children = new ChildRunPreparer(jdbc, tx);
  }

  @Override
  public RunRequest prepareChildRun(ChildRunSpec spec) {
    return children.prepare(spec);
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
                  cost_usd, duration_ms, activity_id, attempt, idempotency_key)
                values (:run, :seq, :node, :provider, :model, :prompt, :completion, :cost, :duration, :activity,
                  :attempt, :key)
                on conflict (run_id, seq) do update set node_id = excluded.node_id, provider = excluded.provider,
                  model = excluded.model, prompt_tokens = excluded.prompt_tokens,
                  completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd,
                  duration_ms = excluded.duration_ms, activity_id = excluded.activity_id,
                  attempt = excluded.attempt, idempotency_key = excluded.idempotency_key""")
            .param("run", outcome.runId())
            .param("seq", seq++)
            .param("node", call.nodeId())
            .param("provider", call.provider())
            .param("model", call.model())
            .param("prompt", call.usage().promptTokens())
            .param("completion", call.usage().completionTokens())
            .param("cost", call.costUsd())
            .param("duration", call.durationMs())
            .param("activity", call.activityId())
            .param("attempt", call.attempt())
            .param("key", call.idempotencyKey())
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
      // An ended run answers nobody: what it still waited on is closed with it.
      jdbc.sql("""
              update human_requests set status = 'cancelled', resolved_at = coalesce(resolved_at, now()),
                comment = coalesce(comment, 'the run ended (' || :status || ') before an answer')
              where run_id = :run and status = 'pending'""")
          .param("status", outcome.status()).param("run", outcome.runId()).update();
      CreditSettlement.settle(jdbc, outcome.runId(), RunOutcome.COMPLETED.equals(outcome.status()),
          outcome.costUsd());
      if (outcome.turn() != null) ConversationTurns.append(jdbc, outcome.runId(), outcome.turn());
    });
  }

  @Override
  public void recordRequest(String runId, HumanRequest r) {
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              insert into human_requests (id, org_id, run_id, flow_id, flow_slug, node_id, kind, tool, message, context,
                arguments, arguments_schema, reason, answer_type, choices, answer_schema, timeout_decision,
                timeout_answer, status, created_at, expires_at)
              select :id, org_id, id, flow_id, flow_slug, :node, :kind, :tool, :message, cast(:context as jsonb),
                cast(:arguments as jsonb), cast(:schema as jsonb), :reason, :answerType, cast(:choices as jsonb),
                cast(:answerSchema as jsonb), :timeoutDecision, cast(:timeoutAnswer as jsonb), 'pending', :created,
                :expires
              from runs where id = :run
              on conflict (id) do nothing""")
          .param("id", r.id()).param("node", r.nodeId()).param("kind", r.kind()).param("tool", r.tool())
          .param("message", r.message()).param("context", toJson(r.context()))
          .param("arguments", toJson(r.arguments())).param("schema", toJson(r.argumentsSchema()))
          .param("reason", r.reason()).param("answerType", r.answerType()).param("choices", toJson(r.choices()))
          .param("answerSchema", toJson(r.answerSchema())).param("timeoutDecision", r.timeoutDecision())
          .param("timeoutAnswer", toJson(r.timeoutAnswer())).param("created", timestamp(r.createdAtMillis()))
          .param("expires", r.expiresAtMillis() == null ? null : timestamp(r.expiresAtMillis()))
          .param("run", runId)
          .update();
      jdbc.sql("update runs set status = 'waiting' where id = :run and status in ('running', 'waiting')")
          .param("run", runId).update();
    });
  }

  @Override
  public void recordResolution(String runId, HumanResolution r) {
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              update human_requests set status = :status, decision = :decision, answer = cast(:answer as jsonb),
                final_arguments = cast(:arguments as jsonb), arguments_modified = :modified, comment = :comment,
                responder_id = :responderId, responder_name = :responderName, resolved_at = :resolved,
                wait_ms = :waited
              where id = :id""")
          .param("status", r.status()).param("decision", r.decision()).param("answer", toJson(r.answer()))
          .param("arguments", toJson(r.arguments())).param("modified", r.argumentsModified())
          .param("comment", r.comment()).param("responderId", r.responderId())
          .param("responderName", r.responderName()).param("resolved", timestamp(r.resolvedAtMillis()))
          .param("waited", r.waitedMs()).param("id", r.requestId())
          .update();
      jdbc.sql("""
              update runs set status = 'running' where id = :run and status = 'waiting'
                and not exists (select 1 from human_requests where run_id = :run and status = 'pending')""")
          .param("run", runId).update();
    });
  }

  private static Timestamp timestamp(long epochMillis) {
    return Timestamp.from(Instant.ofEpochMilli(epochMillis));
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
