package io.durableflows.workflows.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{path}}} templating over a context of {@code input} and earlier node outputs.
 *
 * <p>A path's first segment is {@code input} or a node id; {@code {{llm_1}}} means the node's text. In a JSON
 * template a string that is exactly one placeholder keeps the referenced value's JSON type.
 */
public final class Templates {
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*)\\s*}}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Templates() {}

  public static String render(String template, Map<String, Object> context) {
    if (template == null) return "";
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(asText(resolve(m.group(1), context))));
    }
    m.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  public static Object renderJson(Object template, Map<String, Object> context) {
    if (template instanceof String s) {
      Matcher whole = PLACEHOLDER.matcher(s);
      if (whole.matches()) {
        return resolve(whole.group(1), context);
      }
      return render(s, context);
    }
    if (template instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> out.put(k, renderJson(v, context)));
      return out;
    }
    if (template instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(renderJson(v, context)));
      return out;
    }
    return template;
  }

  /** The first segment of every placeholder path in {@code template} (strings inside JSON included). */
  public static List<String> references(Object template) {
    List<String> refs = new ArrayList<>();
    collect(template, refs);
    return refs;
  }

  private static void collect(Object template, List<String> refs) {
    if (template instanceof String s) {
      Matcher m = PLACEHOLDER.matcher(s);
      while (m.find()) refs.add(m.group(1));
    } else if (template instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, refs));
    } else if (template instanceof List<?> list) {
      list.forEach(v -> collect(v, refs));
    }
  }

  static Object resolve(String path, Map<String, Object> context) {
    String[] parts = path.split("\\.");
    Object current = context.get(parts[0]);
    if (parts.length == 1 && current instanceof NodeOutput out) {
      return out.value();
    }
    for (int i = 1; i < parts.length && current != null; i++) {
      current = step(current, parts[i]);
    }
    return current instanceof NodeOutput out ? out.value() : current;
  }

  private static Object step(Object current, String key) {
    if (current instanceof NodeOutput out) {
      return out.fields().get(key);
    }
    if (current instanceof Map<?, ?> map) {
      return map.get(key);
    }
    if (current instanceof List<?> list && key.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(key);
      return index < list.size() ? list.get(index) : null;
    }
    return null;
  }

  static String asText(Object value) {
    if (value == null) return "";
    if (value instanceof String s) return s;
    if (value instanceof Number || value instanceof Boolean) return value.toString();
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** What a node leaves in the template context: its main value and named fields ({@code text}, {@code usage}...). */
  public record NodeOutput(Object value, Map<String, Object> fields) {}
}
