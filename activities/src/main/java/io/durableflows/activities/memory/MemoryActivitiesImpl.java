package io.durableflows.activities.memory;

import io.durableflows.activities.llm.ModelChats;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.memory.MemoryActivities;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Conversation history from PostgreSQL (what the last compaction left, then the messages after it), and the
 * summarising model call of compaction and titles.
 */
public class MemoryActivitiesImpl implements MemoryActivities {
  private static final int TITLE_MAX_TOKENS = 30;
  private static final int TITLE_MAX_CHARS = 80;
  private final JdbcClient jdbc;
  private final ModelChats models;

  public MemoryActivitiesImpl(DataSource dataSource, ModelChats models) {
    this.jdbc = JdbcClient.create(dataSource);
    this.models = models;
  }

  @Override
  public List<ChatMessage> loadHistory(String orgCode, String sessionId, int limit) {
    Optional<String> orgId = jdbc.sql("""
            select c.org_id from conversations c join organizations o on o.id = c.org_id
            where o.org_code = :org and c.id = :session""")
        .param("org", orgCode).param("session", sessionId).query(String.class).optional();
    if (orgId.isEmpty()) return List.of();
    return history(jdbc, orgId.get(), sessionId, limit);
  }

  /** The history of a conversation the caller knows to exist: shared with the API's llm-format export. */
  public static List<ChatMessage> history(JdbcClient jdbc, String orgId, String conversationId, int limit) {
    record Compaction(String summary, long upToSeq) {}
    Optional<Compaction> compaction = jdbc.sql("""
            select data ->> 'summary' as summary, coalesce((data ->> 'up_to_seq')::bigint, 0) as up_to
            from conversation_markers where org_id = :org and conversation_id = :conv and kind = 'compaction'
            order by created_at desc, id desc limit 1""")
        .param("org", orgId).param("conv", conversationId)
        .query((rs, n) -> new Compaction(rs.getString("summary"), rs.getLong("up_to"))).optional();
    List<ChatMessage> messages = new ArrayList<>();
    compaction.filter(c -> c.summary() != null && !c.summary().isBlank())
        .ifPresent(c -> messages.add(ChatMessage.system(MemoryPrompts.SUMMARY_PREFIX + c.summary())));
    messages.addAll(jdbc.sql("""
            select role, content from (
              select role, content, seq from conversation_messages
              where org_id = :org and conversation_id = :conv and seq > :after
              order by seq desc limit :limit) newest
            order by seq""")
        .param("org", orgId).param("conv", conversationId)
        .param("after", compaction.map(Compaction::upToSeq).orElse(0L)).param("limit", Math.max(0, limit))
        .query((rs, n) -> new ChatMessage(rs.getString("role"), rs.getString("content"), null, null, null)).list());
    return messages;
  }

  @Override
  public Summary summarize(SummaryRequest request) {
    boolean title = SummaryRequest.TITLE.equals(request.kind());
    List<ChatMessage> prompt = List.of(ChatMessage.system(MemoryPrompts.instruction(request.kind())),
        ChatMessage.user(MemoryPrompts.transcript(request.messages())));
    ModelChats.Answer answer = models.chat(request.provider(), request.model(), prompt,
        title ? TITLE_MAX_TOKENS : null);
    String text = title ? cleanTitle(answer.text()) : answer.text();
    return new Summary(text, answer.provider(), answer.model(), answer.usage(), answer.costUsd());
  }

  /** The first line, without quotes or a "Title:" label, at most 80 characters. */
  static String cleanTitle(String raw) {
    String t = raw == null ? "" : raw.strip();
    int nl = t.indexOf('\n');
    if (nl >= 0) t = t.substring(0, nl);
    t = t.replaceFirst("(?i)^title:\\s*", "").replaceAll("^[\"'“”*#\\s]+|[\"'“”*\\s]+$", "").strip();
    if (t.length() > TITLE_MAX_CHARS) t = t.substring(0, TITLE_MAX_CHARS).strip();
    return t.isEmpty() ? "New conversation" : t;
  }
}
