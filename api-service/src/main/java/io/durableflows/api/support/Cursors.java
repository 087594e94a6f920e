package io.durableflows.api.support;

import io.durableflows.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Opaque keyset cursors over (created_at, id), as list routes hand them out in {@code next_cursor}. */
public final class Cursors {
  private Cursors() {}

  public record Position(OffsetDateTime createdAt, String id) {}

  public static String encode(OffsetDateTime createdAt, String id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** Null for no cursor; 400 for one this API did not hand out. */
  public static Position decode(String cursor) {
    if (cursor == null) return null;
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
      return new Position(OffsetDateTime.parse(parts[0]), parts[1]);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid_request", "cursor is not one this API returned");
    }
  }

  /**
   * A list route's answer, {@code {data, next_cursor}}, from rows read with {@code limit + 1}: the extra row, if
   * any, only says that there is a next page, which starts after the last row shown.
   */
  public static <T> Map<String, Object> page(List<T> rows, int limit, Function<T, Position> position,
      Function<T, Object> view) {
    List<T> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
    String next = null;
    if (rows.size() > limit) {
      Position last = position.apply(shown.get(limit - 1));
      next = encode(last.createdAt(), last.id());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", shown.stream().map(view).toList());
    out.put("next_cursor", next);
    return out;
  }

  /** A page size from 1 to {@code max}. */
  public static int limit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw ApiException.badRequest("invalid_request", "limit must be between 1 and " + max);
    }
    return limit;
  }
}
