package io.durableflows.api.skills;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.FieldError;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Skills in PostgreSQL ({@code skills}, migration V7), per org. */
@Service
public class SkillService {
  public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
  private static final Pattern FILE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._/-]{0,127}$");
  public static final int MAX_BODY_CHARS = 200_000;
  private static final int MAX_FILES = 50;
  private final JdbcClient jdbc;
  private final Json json;
  private final RowMapper<Skill> row;

  @SuppressWarnings("unchecked")
  public SkillService(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.row = (rs, n) -> new Skill(rs.getString("name"), rs.getString("description"), rs.getString("body"),
        (Map<String, String>) (Map<?, ?>) json.readMap(rs.getString("files")),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    this.json = json;
  }

  public List<Skill> list(String orgId) {
    return jdbc.sql("select * from skills where org_id = :org order by name").param("org", orgId).query(row).list();
  }

  public Optional<Skill> find(String orgId, String name) {
    return jdbc.sql("select * from skills where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).query(row).optional();
  }

  public Skill require(String orgId, String name) {
    return find(orgId, name).orElseThrow(() -> ApiException.notFound("skill '" + name + "'"));
  }

  /** Creates or replaces the skill; true in {@code created} when it did not exist. */
  public record Saved(Skill skill, boolean created) {}

  public Saved put(String orgId, String name, Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    if (!NAME.matcher(name).matches()) {
      errors.add(FieldError.of("name", "lowercase letters, digits, '.', '-' or '_', at most 63 characters"));
    }
    Object description = body.get("description");
    if (description != null && !(description instanceof String)) {
      errors.add(FieldError.of("description", "must be a string"));
    }
    Object text = body.get("body");
    if (!(text instanceof String t) || t.isBlank()) {
      errors.add(FieldError.of("body", "is required: the playbook text"));
    } else if (t.length() > MAX_BODY_CHARS) {
      errors.add(FieldError.of("body", "is longer than " + MAX_BODY_CHARS + " characters"));
    }
    Map<String, String> files = new LinkedHashMap<>();
    Object rawFiles = body.get("files");
    if (rawFiles != null) {
      if (!(rawFiles instanceof Map<?, ?> map)) {
        errors.add(FieldError.of("files", "must be an object: file name to text"));
      } else if (map.size() > MAX_FILES) {
        errors.add(FieldError.of("files", "at most " + MAX_FILES + " files"));
      } else {
        map.forEach((k, v) -> {
          String key = String.valueOf(k);
          if (!FILE.matcher(key).matches() || key.contains("..")) {
            errors.add(FieldError.of("files." + key, "file names are letters, digits, '.', '_', '-' or '/'"));
          } else if (!(v instanceof String s)) {
            errors.add(FieldError.of("files." + key, "must be a string (the file's text)"));
          } else if (s.length() > MAX_BODY_CHARS) {
            errors.add(FieldError.of("files." + key, "is longer than " + MAX_BODY_CHARS + " characters"));
          } else {
            files.put(key, s);
          }
        });
      }
    }
    for (String key : body.keySet()) {
      if (!List.of("name", "description", "body", "files").contains(key)) {
        errors.add(FieldError.of(key, "is not a property of a skill (description, body, files)"));
      }
    }
    if (body.get("name") != null && !name.equals(body.get("name"))) {
      errors.add(FieldError.of("name", "must match the name in the path, or be omitted"));
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_skill", "the skill is invalid", errors);
    boolean created = find(orgId, name).isEmpty();
    jdbc.sql("""
            insert into skills (org_id, name, description, body, files) values (:org, :name, :description, :body,
              cast(:files as jsonb))
            on conflict (org_id, name) do update set description = excluded.description, body = excluded.body,
              files = excluded.files, updated_at = now()""")
        .param("org", orgId).param("name", name).param("description", description).param("body", text)
        .param("files", json.write(files)).update();
    return new Saved(require(orgId, name), created);
  }

  public void delete(String orgId, String name) {
    int n = jdbc.sql("delete from skills where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).update();
    if (n == 0) throw ApiException.notFound("skill '" + name + "'");
  }
}
