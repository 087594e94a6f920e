package io.durableflows.api.memory;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Text recall over an org's memory blocks and conversation messages: PostgreSQL full text (any of the query's
 * words, 'simple' configuration) ranked by {@code ts_rank}, with the whole query as a phrase counting more.
 * Semantic search comes with knowledge bases.
 */
@Component
class Recall {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private final JdbcClient jdbc;

  Recall(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The query's words as a tsquery matching any of them (null when it has none). */
  static String anyWord(String query) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(query.toLowerCase());
    while (m.find() && words.size() < 32) words.add(m.group());
    return words.isEmpty() ? null : String.join(" | ", words);
  }

  List<Map<String, Object>> search(String orgId, String query, int limit) {
    String like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return jdbc.sql("""
            with q as (select case when cast(:words as text) is null then null
                         else to_tsquery('simple', :words) end as tsq)
            select * from (
              select 'memory_block' as source, b.type as ref, null as conversation_id, null as role, b.value as text,
                b.updated_at as at,
                coalesce(ts_rank(to_tsvector('simple', b.value), q.tsq), 0)
                  + case when b.value ilike :like escape '\\' then 1 else 0 end as score
              from memory_blocks b, q
              where b.org_id = :org
                and ((q.tsq is not null and to_tsvector('simple', b.value) @@ q.tsq) or b.value ilike :like escape '\\')
              union all
              select 'conversation_message', m.id, m.conversation_id, m.role, m.content, m.created_at,
                coalesce(ts_rank(to_tsvector('simple', m.content), q.tsq), 0)
                  + case when m.content ilike :like escape '\\' then 1 else 0 end
              from conversation_messages m, q
              where m.org_id = :org
                and ((q.tsq is not null and to_tsvector('simple', m.content) @@ q.tsq) or m.content ilike :like escape '\\')
            ) hits
            order by score desc, at desc limit :limit""")
        .param("words", anyWord(query)).param("org", orgId).param("like", like).param("limit", limit)
        .query((rs, n) -> {
          Map<String, Object> hit = new LinkedHashMap<>();
          hit.put("source", rs.getString("source"));
          if ("memory_block".equals(rs.getString("source"))) {
            hit.put("type", rs.getString("ref"));
          } else {
            hit.put("message_id", rs.getString("ref"));
            hit.put("conversation_id", rs.getString("conversation_id"));
            hit.put("role", rs.getString("role"));
          }
          hit.put("text", rs.getString("text"));
          hit.put("score", Math.round(rs.getDouble("score") * 10_000) / 10_000.0);
          hit.put("at", rs.getObject("at", OffsetDateTime.class));
          return hit;
        })
        .list();
  }
}
