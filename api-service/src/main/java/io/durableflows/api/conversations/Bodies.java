package io.durableflows.api.conversations;

import io.durableflows.api.errors.ApiException;
import java.util.Map;

/** Checks on JSON request bodies read as maps: 400 {@code invalid_request} naming the field. */
final class Bodies {
  private Bodies() {}

  static Map<String, Object> require(Map<String, Object> body) {
    if (body == null) throw ApiException.badRequest("invalid_request", "a JSON object body is required");
    return body;
  }

  /** A string field: null when absent; 400 when present but not a string or longer than {@code max}. */
  static String string(Map<String, Object> body, String field, int max, boolean allowBlank) {
    Object v = body.get(field);
    if (v == null) return null;
    if (!(v instanceof String s) || (!allowBlank && s.isBlank())) {
      throw ApiException.badRequest("invalid_request", field + " must be a non-empty string");
    }
    if (s.length() > max) {
      throw ApiException.badRequest("invalid_request", field + " must be at most " + max + " characters");
    }
    return s;
  }

  static String requiredString(Map<String, Object> body, String field, int max) {
    String s = string(body, field, max, false);
    if (s == null) throw ApiException.badRequest("invalid_request", field + " is required: a non-empty string");
    return s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) return null;
    if (!(v instanceof Map<?, ?>)) throw ApiException.badRequest("invalid_request", field + " must be an object");
    return (Map<String, Object>) v;
  }

  static Integer integer(Map<String, Object> body, String field, int min, int max) {
    Object v = body.get(field);
    if (v == null) return null;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw ApiException.badRequest("invalid_request", field + " must be an integer from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  static Boolean bool(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) return null;
    if (!(v instanceof Boolean b)) throw ApiException.badRequest("invalid_request", field + " must be true or false");
    return b;
  }
}
