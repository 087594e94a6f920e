package io.durableflows.api.memory;

import io.durableflows.api.errors.ApiException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An org's memory blocks, each named by a type ({@code persona}, {@code user_profile}...). Writes are
 * compare-and-set on the block's version: a writer that read version n writes n + 1 only if nobody wrote first.
 */
@Service
public class MemoryBlockService {
  static final Pattern TYPE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  static final int MAX_VALUE = 100_000;
  private static final RowMapper<Block> ROW = (rs, n) -> new Block(rs.getString("type"), rs.getString("value"),
      rs.getInt("version"), rs.getObject("created_at", OffsetDateTime.class),
      rs.getObject("updated_at", OffsetDateTime.class));
  private final JdbcClient jdbc;

  public MemoryBlockService(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public record Block(String type, String value, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

  static void checkType(String type) {
    if (!TYPE.matcher(type).matches()) {
      throw ApiException.badRequest("invalid_request",
          "a block type is 1-64 letters, digits, '_', '-' or '.'");
    }
  }

  public List<Block> list(String orgId) {
    return jdbc.sql("select * from memory_blocks where org_id = :org order by type").param("org", orgId).query(ROW)
        .list();
  }

  public Optional<Block> find(String orgId, String type) {
    return jdbc.sql("select * from memory_blocks where org_id = :org and type = :type")
        .param("org", orgId).param("type", type).query(ROW).optional();
  }

  /**
   * Creates the block ({@code expected} 0) or replaces version {@code expected}; 409 {@code version_conflict}
   * with the current version (0: no block) when the block is not at that version.
   */
  public Block put(String orgId, String type, String value, int expected) {
    Optional<Block> written;
    if (expected == 0) {
      try {
        written = jdbc.sql("""
                insert into memory_blocks (org_id, type, value, version) values (:org, :type, :value, 1)
                on conflict (org_id, type) do nothing returning *""")
            .param("org", orgId).param("type", type).param("value", value).query(ROW).optional();
      } catch (DuplicateKeyException e) {
        written = Optional.empty();
      }
    } else {
      written = jdbc.sql("""
              update memory_blocks set value = :value, version = version + 1, updated_at = now()
              where org_id = :org and type = :type and version = :expected returning *""")
          .param("org", orgId).param("type", type).param("value", value).param("expected", expected).query(ROW)
          .optional();
    }
    return written.orElseThrow(() -> conflict(orgId, type, expected));
  }

  /** Deletes the block (at {@code expected} version, when given): 404 when there is none, 409 on a mismatch. */
  public void delete(String orgId, String type, Integer expected) {
    int deleted = jdbc.sql("""
            delete from memory_blocks where org_id = :org and type = :type
              and (cast(:expected as integer) is null or version = :expected)""")
        .param("org", orgId).param("type", type).param("expected", expected).update();
    if (deleted == 0) {
      Block current = find(orgId, type).orElseThrow(() -> ApiException.notFound("memory block '" + type + "'"));
      throw conflict(orgId, type, expected == null ? current.version() : expected);
    }
  }

  private ApiException conflict(String orgId, String type, int expected) {
    int current = find(orgId, type).map(Block::version).orElse(0);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("current_version", current);
    return new ApiException(HttpStatus.CONFLICT, "version_conflict", current == 0
        ? "memory block '" + type + "' does not exist (expected version " + expected + "): create it with version 0"
        : "memory block '" + type + "' is at version " + current + ", not " + expected
            + ": read it again and retry with version " + current, extra);
  }
}
