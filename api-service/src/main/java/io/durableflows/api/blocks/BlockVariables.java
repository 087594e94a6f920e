package io.durableflows.api.blocks;

import io.durableflows.api.errors.ApiException;
import java.util.Map;

/** The {@code {"variables": {...}}} body of block previews and builds, which fill a static block's placeholders. */
public final class BlockVariables {
  private BlockVariables() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(Map<String, Object> body) {
    if (body == null) return Map.of();
    for (String key : body.keySet()) {
      if (!"variables".equals(key)) {
        throw ApiException.badRequest("invalid_request", "unknown field '" + key + "': the body is {\"variables\": {...}}");
      }
    }
    Object v = body.get("variables");
    if (v == null) return Map.of();
    if (!(v instanceof Map<?, ?> m)) {
      throw ApiException.badRequest("invalid_request", "variables must be an object: name to value");
    }
    return (Map<String, Object>) m;
  }
}
