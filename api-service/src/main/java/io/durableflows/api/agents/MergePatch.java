package io.durableflows.api.agents;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON Merge Patch (RFC 7396): objects merge key by key, {@code null} removes a key, anything else replaces. */
public final class MergePatch {
  private MergePatch() {}

  @SuppressWarnings("unchecked")
  public static Object apply(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> p)) return patch;
    Map<String, Object> result = target instanceof Map<?, ?> t
        ? new LinkedHashMap<>((Map<String, Object>) t) : new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : p.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() == null) result.remove(key);
      else result.put(key, apply(result.get(key), e.getValue()));
    }
    return result;
  }

  /** Applies {@code patch} to {@code target} in place. */
  @SuppressWarnings("unchecked")
  public static void applyTo(Map<String, Object> target, Map<String, Object> patch) {
    Map<String, Object> merged = (Map<String, Object>) apply(target, patch);
    target.clear();
    target.putAll(merged);
  }
}
