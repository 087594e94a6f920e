package io.durableflows.workflows.flow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** JSON Schema primitive types checked against values decoded from JSON (String, Number, Boolean, Map, List). */
final class JsonTypes {
  private JsonTypes() {}

  static boolean matches(String type, Object value) {
    return switch (type) {
      case "string" -> value instanceof String;
      case "number" -> value instanceof Number;
      case "integer" -> isInteger(value);
      case "boolean" -> value instanceof Boolean;
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      default -> false;
    };
  }

  static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof String) return "string";
    if (value instanceof Boolean) return "boolean";
    if (isInteger(value)) return "integer";
    if (value instanceof Number) return "number";
    if (value instanceof Map<?, ?>) return "object";
    if (value instanceof List<?>) return "array";
    return value.getClass().getSimpleName();
  }

  private static boolean isInteger(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger) {
      return true;
    }
    if (value instanceof BigDecimal d) {
      return d.stripTrailingZeros().scale() <= 0;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return !Double.isInfinite(d) && d == Math.rint(d);
    }
    return false;
  }
}
