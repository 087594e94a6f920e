package io.durableflows.activities.context;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.context.ContextActivities;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextBlocks.Block;
import io.durableflows.workflows.context.ContextRequest;
import io.durableflows.workflows.flow.Templates;
import io.temporal.failure.ApplicationFailure;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Skills and prompt blocks from PostgreSQL (tables of migration V7). Static blocks are rendered with the request's
 * variables; dynamic blocks are rendered from their {@code source} and kept in {@code prompt_block_cache} for
 * their TTL (0: never cached), each rendering counted in {@code prompt_blocks.render_count}.
 */
public class JdbcContextActivities implements ContextActivities {
  public static final String UNKNOWN_ORG = "UnknownOrg";
  private static final Logger log = LoggerFactory.getLogger(JdbcContextActivities.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcClient jdbc;
  private final Clock clock;

  public JdbcContextActivities(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public JdbcContextActivities(DataSource dataSource, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.clock = clock;
  }

  private record BlockRow(String type, String body, String source, int ttlSeconds) {}

  @Override
  public ContextBlocks build(ContextRequest request) {
    String orgId = jdbc.sql("select id from organizations where org_code = :code")
        .param("code", request.orgCode()).query(String.class).optional()
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "no organization '" + request.orgCode() + "'", UNKNOWN_ORG));
    List<Block> blocks = new ArrayList<>();
    for (String name : request.skills()) {
      blocks.add(jdbc.sql("select body from skills where org_id = :org and name = :name")
          .param("org", orgId).param("name", name).query(String.class).optional()
          .map(body -> new Block(name, "skill", "skill", body, "none", false, null))
          .orElse(new Block(name, "skill", "skill", null, "none", true, null)));
    }
    for (String name : request.promptBlocks()) blocks.add(block(orgId, name, "prompt", request));
    for (String name : request.contextBlocks()) blocks.add(block(orgId, name, "context", request));
    List<String> parts = new ArrayList<>();
    for (Block b : blocks) {
      if (b.missing() || b.error() != null) continue;
      parts.add(ContextBlocks.wrap("skill".equals(b.kind()) ? "skill" : "block", b.name(), b.content()));
    }
    return new ContextBlocks(String.join("\n\n", parts), blocks);
  }

  private Block block(String orgId, String name, String kind, ContextRequest request) {
    Optional<BlockRow> row = jdbc.sql(
            "select type, body, cast(source as text) as source, ttl_seconds from prompt_blocks where org_id = :org and name = :name")
        .param("org", orgId).param("name", name)
        .query((rs, n) -> new BlockRow(rs.getString("type"), rs.getString("body"), rs.getString("source"),
            rs.getInt("ttl_seconds")))
        .optional();
    if (row.isEmpty()) return new Block(name, kind, null, null, "none", true, null);
    BlockRow r = row.get();
    if ("static".equals(r.type())) {
      return new Block(name, kind, "static", Templates.render(r.body(), request.variables()), "none", false, null);
    }
    Instant now = clock.instant();
    if (request.mode() == ContextRequest.Mode.BUILD && r.ttlSeconds() > 0) {
      Optional<String> cached = jdbc.sql("""
              select content from prompt_block_cache where org_id = :org and name = :name and expires_at > :now""")
          .param("org", orgId).param("name", name).param("now", Timestamp.from(now)).query(String.class).optional();
      if (cached.isPresent()) return new Block(name, kind, "dynamic", cached.get(), "hit", false, null);
    }
    String content;
    try {
      content = DynamicSources.render(readSource(r.source()), clock, v -> skillIndex(orgId));
    } catch (DynamicSources.RenderException e) {
      log.warn("dynamic block {} of org {} did not render: {}", name, request.orgCode(), e.getMessage());
      return new Block(name, kind, "dynamic", null, "none", false, e.getMessage());
    }
    jdbc.sql("update prompt_blocks set render_count = render_count + 1 where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).update();
    if (r.ttlSeconds() > 0) {
      jdbc.sql("""
              insert into prompt_block_cache (org_id, name, content, rendered_at, expires_at)
              values (:org, :name, :content, :now, :expires)
              on conflict (org_id, name) do update
                set content = excluded.content, rendered_at = excluded.rendered_at, expires_at = excluded.expires_at""")
          .param("org", orgId).param("name", name).param("content", content).param("now", Timestamp.from(now))
          .param("expires", Timestamp.from(now.plusSeconds(r.ttlSeconds()))).update();
    }
    return new Block(name, kind, "dynamic", content, "rendered", false, null);
  }

  private List<String[]> skillIndex(String orgId) {
    return jdbc.sql("select name, description from skills where org_id = :org order by name")
        .param("org", orgId).query((rs, n) -> new String[] {rs.getString("name"), rs.getString("description")}).list();
  }

  private static Map<String, Object> readSource(String source) {
    if (source == null) return Map.of();
    try {
      return JSON.readValue(source, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new DynamicSources.RenderException("the block's source is not a JSON object");
    }
  }
}
