package io.durableflows.api.conversations;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Conversations (= sessions: a run with {@code flow_session_id} X continues conversation X), their messages and
 * markers, in PostgreSQL. Everything is scoped by org: another org's conversation does not exist here.
 */
@Service
public class ConversationService {
  static final int MAX_TITLE = 200;
  static final int MAX_CONTENT = 200_000;
  private final JdbcClient jdbc;
  private final Json json;
  private final TransactionTemplate tx;

  public ConversationService(JdbcClient jdbc, Json json, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.json = json;
    this.tx = tx;
  }

  public record Conversation(String id, String title, String flowSlug, Map<String, Object> metadata,
      OffsetDateTime createdAt, OffsetDateTime updatedAt, long messageCount, OffsetDateTime lastMessageAt) {}

  public record Message(String id, long seq, String role, String content, String runId, Map<String, Object> metadata,
      OffsetDateTime createdAt) {}

  public record Marker(String id, String kind, Map<String, Object> data, OffsetDateTime createdAt) {}

  private static final String CONVERSATION_SELECT = """
      select c.*, (select count(*) from conversation_messages m where m.org_id = c.org_id
          and m.conversation_id = c.id) as message_count,
        (select max(m.created_at) from conversation_messages m where m.org_id = c.org_id
          and m.conversation_id = c.id) as last_message_at
      from conversations c""";

  private Conversation conversation(ResultSet rs, int n) throws SQLException {
    return new Conversation(rs.getString("id"), rs.getString("title"), rs.getString("flow_slug"),
        json.readMap(rs.getString("metadata")), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class), rs.getLong("message_count"),
        rs.getObject("last_message_at", OffsetDateTime.class));
  }

  private Message message(ResultSet rs, int n) throws SQLException {
    return new Message(rs.getString("id"), rs.getLong("seq"), rs.getString("role"), rs.getString("content"),
        rs.getString("run_id"), json.readMap(rs.getString("metadata")),
        rs.getObject("created_at", OffsetDateTime.class));
  }

  private Marker marker(ResultSet rs, int n) throws SQLException {
    return new Marker(rs.getString("id"), rs.getString("kind"), json.readMap(rs.getString("data")),
        rs.getObject("created_at", OffsetDateTime.class));
  }

  public Conversation create(String orgId, String title, String flowSlug, Map<String, Object> metadata) {
    String id = Ids.newId("conv");
    jdbc.sql("""
            insert into conversations (org_id, id, title, flow_slug, metadata)
            values (:org, :id, :title, :flow, cast(:metadata as jsonb))""")
        .param("org", orgId).param("id", id).param("title", title).param("flow", flowSlug)
        .param("metadata", json.write(metadata == null ? Map.of() : metadata)).update();
    return require(orgId, id);
  }

  public Optional<Conversation> find(String orgId, String id) {
    return jdbc.sql(CONVERSATION_SELECT + " where c.org_id = :org and c.id = :id")
        .param("org", orgId).param("id", id).query(this::conversation).optional();
  }

  public Conversation require(String orgId, String id) {
    return find(orgId, id).orElseThrow(() -> ApiException.notFound("conversation '" + id + "'"));
  }

  /** Newest first, after the keyset position; {@code limit} rows (ask one more to know there is a next page). */
  public List<Conversation> page(String orgId, OffsetDateTime afterCreated, String afterId, int limit) {
    return jdbc.sql(CONVERSATION_SELECT + """
             where c.org_id = :org
              and (cast(:afterCreated as timestamptz) is null or (c.created_at, c.id) < (:afterCreated, :afterId))
            order by c.created_at desc, c.id desc limit :limit""")
        .param("org", orgId).param("afterCreated", afterCreated).param("afterId", afterId).param("limit", limit)
        .query(this::conversation).list();
  }

  /**
   * Conversations whose title or any message contains the query (case-insensitive), or whose messages match it
   * as words (PostgreSQL full text, 'simple' configuration); newest activity first.
   */
  public List<Conversation> search(String orgId, String q, OffsetDateTime afterCreated, String afterId, int limit) {
    return jdbc.sql(CONVERSATION_SELECT + """
             where c.org_id = :org
              and (c.title ilike :like escape '\\' or exists (select 1 from conversation_messages m
                where m.org_id = c.org_id and m.conversation_id = c.id
                  and (m.content ilike :like escape '\\'
                    or to_tsvector('simple', m.content) @@ plainto_tsquery('simple', :q))))
              and (cast(:afterCreated as timestamptz) is null or (c.created_at, c.id) < (:afterCreated, :afterId))
            order by c.created_at desc, c.id desc limit :limit""")
        .param("org", orgId).param("like", like(q)).param("q", q).param("afterCreated", afterCreated)
        .param("afterId", afterId).param("limit", limit)
        .query(this::conversation).list();
  }

  /** The messages of one conversation matching a search, for snippets. */
  public List<Message> matchingMessages(String orgId, String conversationId, String q, int limit) {
    return jdbc.sql("""
            select * from conversation_messages m where m.org_id = :org and m.conversation_id = :conv
              and (m.content ilike :like escape '\\' or to_tsvector('simple', m.content) @@ plainto_tsquery('simple', :q))
            order by seq limit :limit""")
        .param("org", orgId).param("conv", conversationId).param("like", like(q)).param("q", q).param("limit", limit)
        .query(this::message).list();
  }

  static String like(String q) {
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  public List<Message> messages(String orgId, String conversationId, long afterSeq, int limit) {
    return jdbc.sql("""
            select * from conversation_messages where org_id = :org and conversation_id = :conv and seq > :after
            order by seq limit :limit""")
        .param("org", orgId).param("conv", conversationId).param("after", afterSeq).param("limit", limit)
        .query(this::message).list();
  }

  public List<Message> allMessages(String orgId, String conversationId) {
    return messages(orgId, conversationId, 0, Integer.MAX_VALUE);
  }

  public List<Message> runMessages(String orgId, String runId) {
    return jdbc.sql("select * from conversation_messages where org_id = :org and run_id = :run order by seq")
        .param("org", orgId).param("run", runId).query(this::message).list();
  }

  public Message addMessage(String orgId, String conversationId, String role, String content,
      Map<String, Object> metadata) {
    String id = Ids.newId("msg");
    return tx.execute(status -> {
      jdbc.sql("""
              insert into conversation_messages (id, org_id, conversation_id, role, content, metadata)
              values (:id, :org, :conv, :role, :content, cast(:metadata as jsonb))""")
          .param("id", id).param("org", orgId).param("conv", conversationId).param("role", role)
          .param("content", content).param("metadata", json.write(metadata)).update();
      touch(orgId, conversationId);
      return jdbc.sql("select * from conversation_messages where id = :id").param("id", id).query(this::message)
          .single();
    });
  }

  private void touch(String orgId, String conversationId) {
    jdbc.sql("update conversations set updated_at = now() where org_id = :org and id = :id")
        .param("org", orgId).param("id", conversationId).update();
  }

  public List<Marker> markers(String orgId, String conversationId) {
    return jdbc.sql("""
            select * from conversation_markers where org_id = :org and conversation_id = :conv
            order by created_at, id""")
        .param("org", orgId).param("conv", conversationId).query(this::marker).list();
  }

  public Marker addMarker(String orgId, String conversationId, String kind, Map<String, Object> data) {
    String id = Ids.newId("mrk");
    jdbc.sql("""
            insert into conversation_markers (id, org_id, conversation_id, kind, data)
            values (:id, :org, :conv, :kind, cast(:data as jsonb))""")
        .param("id", id).param("org", orgId).param("conv", conversationId).param("kind", kind)
        .param("data", json.write(data)).update();
    return jdbc.sql("select * from conversation_markers where id = :id").param("id", id).query(this::marker).single();
  }

  /** Sets title and/or metadata (null: unchanged); a new title leaves a {@code title_changed} marker. */
  public Conversation update(String orgId, String id, String title, Map<String, Object> metadata, String source) {
    Conversation before = require(orgId, id);
    tx.executeWithoutResult(status -> {
      jdbc.sql("""
              update conversations set title = coalesce(:title, title),
                metadata = coalesce(cast(:metadata as jsonb), metadata), updated_at = now()
              where org_id = :org and id = :id""")
          .param("title", title).param("metadata", json.write(metadata)).param("org", orgId).param("id", id)
          .update();
      if (title != null && !title.equals(before.title())) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", before.title());
        data.put("to", title);
        data.put("source", source);
        addMarker(orgId, id, "title_changed", data);
      }
    });
    return require(orgId, id);
  }

  /** Deletes the conversation with its messages and markers; its runs stay (they are the org's run history). */
  public void delete(String orgId, String id) {
    int deleted = jdbc.sql("delete from conversations where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).update();
    if (deleted == 0) throw ApiException.notFound("conversation '" + id + "'");
  }

  /** The runs of this session, oldest first. */
  public List<Map<String, Object>> runs(String orgId, String conversationId) {
    return jdbc.sql("""
            select id, flow_slug, version, channel, status, created_at, started_at, finished_at, duration_ms,
              prompt_tokens, completion_tokens, total_tokens, cost_usd, error_type, error_message
            from runs where org_id = :org and flow_session_id = :conv order by created_at, id""")
        .param("org", orgId).param("conv", conversationId)
        .query((rs, n) -> {
          Map<String, Object> run = new LinkedHashMap<>();
          run.put("id", rs.getString("id"));
          run.put("flow", rs.getString("flow_slug"));
          run.put("version", rs.getString("version"));
          run.put("channel", rs.getString("channel"));
          run.put("status", rs.getString("status"));
          run.put("created_at", rs.getObject("created_at", OffsetDateTime.class));
          run.put("started_at", rs.getObject("started_at", OffsetDateTime.class));
          run.put("finished_at", rs.getObject("finished_at", OffsetDateTime.class));
          run.put("duration_ms", rs.getObject("duration_ms"));
          Map<String, Object> usage = new LinkedHashMap<>();
          usage.put("prompt_tokens", rs.getLong("prompt_tokens"));
          usage.put("completion_tokens", rs.getLong("completion_tokens"));
          usage.put("total_tokens", rs.getLong("total_tokens"));
          run.put("usage", usage);
          run.put("cost_usd", rs.getBigDecimal("cost_usd"));
          if (rs.getString("error_type") != null) {
            run.put("error", Map.of("error", rs.getString("error_type"),
                "message", String.valueOf(rs.getString("error_message"))));
          }
          run.put("status_url", "/api/v1/runs/" + rs.getString("id"));
          return run;
        })
        .list();
  }

  /** The sequence number of the last message a compaction covered (0: none yet). */
  public long compactedUpTo(String orgId, String conversationId) {
    return markers(orgId, conversationId).stream().filter(m -> "compaction".equals(m.kind()))
        .map(m -> m.data().get("up_to_seq")).filter(v -> v instanceof Number).mapToLong(v -> ((Number) v).longValue())
        .max().orElse(0);
  }

  /** The latest compaction's summary, if any. */
  public Optional<String> latestSummary(String orgId, String conversationId) {
    List<Marker> compactions = new ArrayList<>(markers(orgId, conversationId).stream()
        .filter(m -> "compaction".equals(m.kind())).toList());
    if (compactions.isEmpty()) return Optional.empty();
    return Optional.ofNullable((String) compactions.getLast().data().get("summary"));
  }
}
