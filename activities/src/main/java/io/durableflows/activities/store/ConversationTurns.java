package io.durableflows.activities.store;

import io.durableflows.workflows.memory.ConversationTurn;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Appends a completed run's turn to its session's conversation (creating the conversation on its first run),
 * inside the transaction that records the run's outcome. Keyed by (run, role): a retried write adds nothing.
 * The message ids are the ones 001's {@code userMessage.id} and {@code aiMessage.id} show.
 */
final class ConversationTurns {
  private ConversationTurns() {}

  static void append(JdbcClient jdbc, String runId, ConversationTurn turn) {
    jdbc.sql("""
            insert into conversations (org_id, id, flow_slug)
            select org_id, :session, flow_slug from runs where id = :run
            on conflict (org_id, id) do nothing""")
        .param("session", turn.sessionId()).param("run", runId).update();
    int added = message(jdbc, runId, turn.sessionId(), "user", turn.userText(), true);
    added += message(jdbc, runId, turn.sessionId(), "assistant", turn.assistantText(), false);
    if (added > 0) {
      jdbc.sql("""
              update conversations set updated_at = now()
              where id = :session and org_id = (select org_id from runs where id = :run)""")
          .param("session", turn.sessionId()).param("run", runId).update();
    }
  }

  private static int message(JdbcClient jdbc, String runId, String session, String role, String content,
      boolean atStart) {
    return jdbc.sql("""
            insert into conversation_messages (id, org_id, conversation_id, role, content, run_id, created_at)
            select :id, org_id, :session, :role, :content, id,
              case when cast(:atStart as boolean) then coalesce(started_at, created_at) else now() end
            from runs where id = :run
            on conflict do nothing""")
        .param("id", messageId(runId, role)).param("session", session).param("role", role)
        .param("content", content == null ? "" : content).param("atStart", atStart).param("run", runId).update();
  }

  /** What 001's response calls the turn's messages: name-based UUIDs of the run id and the role. */
  static String messageId(String runId, String role) {
    return UUID.nameUUIDFromBytes((runId + "/" + role).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
