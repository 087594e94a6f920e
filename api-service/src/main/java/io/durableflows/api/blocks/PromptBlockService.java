package io.durableflows.api.blocks;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.skills.SkillService;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.FieldError;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Prompt blocks in PostgreSQL ({@code prompt_blocks}, {@code prompt_block_cache}; migration V7), per org. */
@Service
public class PromptBlockService {
  /** The dynamic sources the BuildContext activity renders. */
  public static final Set<String> SOURCE_KINDS = Set.of("current_time", "skill_index");
  static final int MAX_TTL = 30 * 24 * 3600;
  static final int DEFAULT_TTL = 300;
  private static final Set<String> FIELDS = Set.of("name", "description", "type", "body", "source", "ttl_seconds");
  private static final String SELECT = """
      select b.*, cast(b.source as text) as source_text, c.rendered_at, c.expires_at
      from prompt_blocks b left join prompt_block_cache c on c.org_id = b.org_id and c.name = b.name
      """;
  private final JdbcClient jdbc;
  private final Json json;
  private final RowMapper<PromptBlock> row;

  public PromptBlockService(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
    this.row = (rs, n) -> new PromptBlock(rs.getString("name"), rs.getString("description"), rs.getString("type"),
        rs.getString("body"), rs.getString("source_text") == null ? null : json.readMap(rs.getString("source_text")),
        rs.getInt("ttl_seconds"), rs.getLong("render_count"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("rendered_at", OffsetDateTime.class),
        rs.getObject("expires_at", OffsetDateTime.class));
  }

  public List<PromptBlock> list(String orgId) {
    return jdbc.sql(SELECT + " where b.org_id = :org order by b.name").param("org", orgId).query(row).list();
  }

  public Optional<PromptBlock> find(String orgId, String name) {
    return jdbc.sql(SELECT + " where b.org_id = :org and b.name = :name")
        .param("org", orgId).param("name", name).query(row).optional();
  }

  public PromptBlock require(String orgId, String name) {
    return find(orgId, name).orElseThrow(() -> ApiException.notFound("prompt block '" + name + "'"));
  }

  /** 409 {@code block_exists} when the name is taken. The type follows from {@code body} or {@code source}. */
  @Transactional
  public PromptBlock create(String orgId, Map<String, Object> doc) {
    List<FieldError> errors = new ArrayList<>();
    Object name = doc.get("name");
    if (!(name instanceof String n) || !SkillService.NAME.matcher(n).matches()) {
      errors.add(FieldError.of("name", "is required: lowercase letters, digits, '.', '-' or '_', at most 63 characters"));
    }
    Object type = doc.get("type");
    String chosen = type instanceof String t ? t : doc.get("source") != null ? "dynamic" : "static";
    if (type != null && !("static".equals(type) || "dynamic".equals(type))) {
      errors.add(FieldError.of("type", "must be \"static\" or \"dynamic\""));
    }
    checkFields(doc, chosen, true, errors);
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_block", "the prompt block is invalid", errors);
    if (find(orgId, (String) name).isPresent()) {
      throw ApiException.conflict("block_exists", "a prompt block named '" + name + "' exists; PATCH it to change it");
    }
    jdbc.sql("""
            insert into prompt_blocks (org_id, name, description, type, body, source, ttl_seconds)
            values (:org, :name, :description, :type, :body, cast(:source as jsonb), :ttl)""")
        .param("org", orgId).param("name", name).param("description", doc.get("description")).param("type", chosen)
        .param("body", doc.get("body")).param("source", doc.get("source") == null ? null : json.write(doc.get("source")))
        .param("ttl", doc.get("ttl_seconds") == null ? DEFAULT_TTL : ((Number) doc.get("ttl_seconds")).intValue())
        .update();
    return require(orgId, (String) name);
  }

  /** Changes what is given; a change to a dynamic block drops its cached rendering. */
  @Transactional
  public PromptBlock patch(String orgId, String name, Map<String, Object> doc) {
    PromptBlock existing = require(orgId, name);
    List<FieldError> errors = new ArrayList<>();
    if (doc.containsKey("name") && !name.equals(doc.get("name"))) {
      errors.add(FieldError.of("name", "cannot change"));
    }
    if (doc.containsKey("type") && !existing.type().equals(doc.get("type"))) {
      errors.add(FieldError.of("type", "cannot change: delete the block and create it again"));
    }
    checkFields(doc, existing.type(), false, errors);
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_block", "the prompt block is invalid", errors);
    Map<String, Object> merged = new LinkedHashMap<>();
    merged.put("description", doc.containsKey("description") ? doc.get("description") : existing.description());
    merged.put("body", doc.containsKey("body") ? doc.get("body") : existing.body());
    merged.put("source", doc.containsKey("source") ? doc.get("source") : existing.source());
    merged.put("ttl", doc.containsKey("ttl_seconds") ? ((Number) doc.get("ttl_seconds")).intValue() : existing.ttlSeconds());
    jdbc.sql("""
            update prompt_blocks set description = :description, body = :body, source = cast(:source as jsonb),
              ttl_seconds = :ttl, updated_at = now()
            where org_id = :org and name = :name""")
        .param("description", merged.get("description")).param("body", merged.get("body"))
        .param("source", merged.get("source") == null ? null : json.write(merged.get("source")))
        .param("ttl", merged.get("ttl")).param("org", orgId).param("name", name).update();
    invalidate(orgId, name);
    return require(orgId, name);
  }

  public void delete(String orgId, String name) {
    int n = jdbc.sql("delete from prompt_blocks where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).update();
    if (n == 0) throw ApiException.notFound("prompt block '" + name + "'");
  }

  /** Drops the cached rendering; true when there was one. */
  public boolean invalidate(String orgId, String name) {
    return jdbc.sql("delete from prompt_block_cache where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).update() > 0;
  }

  private static void checkFields(Map<String, Object> doc, String type, boolean creating, List<FieldError> errors) {
    for (String key : doc.keySet()) {
      if (!FIELDS.contains(key)) {
        errors.add(FieldError.of(key, "is not a property of a prompt block (" + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
      }
    }
    if (doc.get("description") != null && !(doc.get("description") instanceof String)) {
      errors.add(FieldError.of("description", "must be a string"));
    }
    Object body = doc.get("body");
    Object source = doc.get("source");
    if ("static".equals(type)) {
      if (source != null) errors.add(FieldError.of("source", "only dynamic blocks have a source"));
      if ((creating || doc.containsKey("body")) && !(body instanceof String b && !b.isBlank())) {
        errors.add(FieldError.of("body", "is required: the block's text (may use {{variables}})"));
      } else if (body instanceof String b && b.length() > SkillService.MAX_BODY_CHARS) {
        errors.add(FieldError.of("body", "is longer than " + SkillService.MAX_BODY_CHARS + " characters"));
      }
    } else if ("dynamic".equals(type)) {
      if (body != null) errors.add(FieldError.of("body", "dynamic blocks are rendered from their source, not a body"));
      if (creating || doc.containsKey("source")) checkSource(source, errors);
    }
    Object ttl = doc.get("ttl_seconds");
    if (ttl != null && !(ttl instanceof Integer || ttl instanceof Long) ) {
      errors.add(FieldError.of("ttl_seconds", "must be an integer number of seconds (0: never cache)"));
    } else if (ttl != null && (((Number) ttl).longValue() < 0 || ((Number) ttl).longValue() > MAX_TTL)) {
      errors.add(FieldError.of("ttl_seconds", "must be between 0 and " + MAX_TTL));
    }
  }

  private static void checkSource(Object source, List<FieldError> errors) {
    if (!(source instanceof Map<?, ?> map)) {
      errors.add(FieldError.of("source", "is required for dynamic blocks: an object with a kind, one of "
          + new java.util.TreeSet<>(SOURCE_KINDS)));
      return;
    }
    Object kind = map.get("kind");
    if (!(kind instanceof String k) || !SOURCE_KINDS.contains(k)) {
      errors.add(FieldError.of("source.kind", "must be one of " + new java.util.TreeSet<>(SOURCE_KINDS)));
      return;
    }
    if ("current_time".equals(kind)) {
      Object zone = map.get("timezone");
      if (zone != null) {
        try {
          ZoneId.of(String.valueOf(zone));
          if (!(zone instanceof String)) throw new DateTimeException("not a string");
        } catch (DateTimeException e) {
          errors.add(FieldError.of("source.timezone", "must be an IANA time zone such as UTC or Europe/Paris"));
        }
      }
      for (Object key : map.keySet()) {
        if (!Set.of("kind", "timezone").contains(key)) {
          errors.add(FieldError.of("source." + key, "is not a property of a current_time source (timezone)"));
        }
      }
    } else {
      for (Object key : map.keySet()) {
        if (!"kind".equals(key)) errors.add(FieldError.of("source." + key, "skill_index sources take no properties"));
      }
    }
  }
}
