package io.durableflows.api.blocks;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A prompt block of one org: {@code static} (a {@code body} with {@code {{variables}}}) or {@code dynamic} (a
 * {@code source} the BuildContext activity renders, cached {@code ttlSeconds}; 0 never caches). The cache columns
 * are those of its last rendering, null when none is kept.
 */
public record PromptBlock(String name, String description, String type, String body, Map<String, Object> source,
    int ttlSeconds, long renderCount, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime renderedAt,
    OffsetDateTime expiresAt) {

  public boolean dynamic() {
    return "dynamic".equals(type);
  }

  /** {@code fresh}, {@code expired} or {@code empty} for a dynamic block; {@code not_cached} for a static one. */
  public String cacheState(OffsetDateTime now) {
    if (!dynamic() || ttlSeconds == 0) return "not_cached";
    if (expiresAt == null) return "empty";
    return expiresAt.isAfter(now) ? "fresh" : "expired";
  }

  /** Where the cache stands: {@code state}, and when the kept rendering was made and expires. */
  public Map<String, Object> cacheView() {
    Map<String, Object> cache = new java.util.LinkedHashMap<>();
    cache.put("state", cacheState(OffsetDateTime.now()));
    cache.put("rendered_at", renderedAt);
    cache.put("expires_at", expiresAt);
    return cache;
  }
}
