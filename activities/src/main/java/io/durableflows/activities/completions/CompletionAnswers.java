package io.durableflows.activities.completions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionOptions;
import io.durableflows.workflows.schema.JsonSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model's answer into an operation's output. Models wrap JSON in prose or code fences, so the first JSON
 * value of the wanted kind is taken; an answer that still does not fit is {@link Unfit}.
 */
final class CompletionAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The answer cannot be the operation's output; {@code code} is the item's error. */
  static final class Unfit extends RuntimeException {
    private final String code;

    Unfit(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private CompletionAnswers() {}

  static Object read(String operation, Map<String, Object> options, Object item, String answer) {
    String text = answer == null ? "" : answer.strip();
    return switch (operation) {
      case CompletionOperations.LABEL -> label(options, text);
      case CompletionOperations.EXTRACT -> extract(options, text);
      case CompletionOperations.SUMMARIZE -> summary(options, text);
      case CompletionOperations.ENRICH -> enrich(options, item, text);
      case CompletionOperations.RECOMMEND -> recommendations(options, text);
      case CompletionOperations.AUTOCOMPLETE -> suggestions(options, CompletionItems.prefix(item), text);
      default -> {
        if (text.isEmpty()) throw unfit("the model answered nothing");
        yield text;
      }
    };
  }

  private static Map<String, Object> label(Map<String, Object> options, String text) {
    List<String> categories = CompletionOptions.categories(options);
    Object json = firstJson(text, '{');
    if (CompletionOptions.multi(options)) {
      List<String> given = new ArrayList<>();
      if (json instanceof Map<?, ?> map && map.get("labels") instanceof List<?> list) {
        list.forEach(v -> given.add(String.valueOf(v)));
      } else if (firstJson(text, '[') instanceof List<?> list) {
        list.forEach(v -> given.add(String.valueOf(v)));
      } else if (!text.isEmpty()) {
        given.addAll(Arrays.asList(text.split("[,\\n]")));
      }
      Set<String> chosen = new LinkedHashSet<>();
      for (String g : given) {
        if (g.isBlank()) continue;
        chosen.add(category(categories, g));
      }
      // In the categories' order, so the same labels always read the same.
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("labels", categories.stream().filter(chosen::contains).toList());
      return out;
    }
    String given = json instanceof Map<?, ?> map && map.get("label") != null ? String.valueOf(map.get("label")) : text;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("label", category(categories, given));
    return out;
  }

  /** The category {@code given} names, ignoring case, quotes and a trailing full stop. */
  private static String category(List<String> categories, String given) {
    String g = given.strip().replaceAll("^[\"'`*]+|[\"'`*.]+$", "").strip();
    for (String c : categories) {
      if (c.strip().equalsIgnoreCase(g)) return c;
    }
    throw unfit("the model answered \"" + excerpt(given) + "\", which is not one of the categories");
  }

  private static Object extract(Map<String, Object> options, String text) {
    if (!(firstJson(text, '{') instanceof Map<?, ?> object)) {
      throw unfit("the model's answer holds no JSON object: \"" + excerpt(text) + "\"");
    }
    List<String> violations = JsonSchemas.violations(CompletionOptions.schema(options), object);
    if (!violations.isEmpty()) {
      throw new Unfit(CompletionFailures.SCHEMA_MISMATCH, "the extracted object does not match the schema: "
          + String.join("; ", violations));
    }
    return object;
  }

  private static String summary(Map<String, Object> options, String text) {
    if (text.isEmpty()) throw unfit("the model answered nothing");
    int max = CompletionOptions.intOption(options, CompletionOptions.MAX_WORDS, CompletionOptions.DEFAULT_MAX_WORDS);
    String[] words = text.split("\\s+");
    // max_words is a promise to the caller, not a hint to the model.
    return words.length <= max ? text : String.join(" ", Arrays.copyOf(words, max)) + "…";
  }

  private static Map<String, Object> enrich(Map<String, Object> options, Object item, String text) {
    if (!(firstJson(text, '{') instanceof Map<?, ?> computed)) {
      throw unfit("the model's answer holds no JSON object: \"" + excerpt(text) + "\"");
    }
    Map<String, Object> out = CompletionItems.record(item);
    for (String field : CompletionOptions.fields(options).keySet()) {
      if (!computed.containsKey(field)) throw unfit("the model's answer has no field \"" + field + "\"");
      out.put(field, computed.get(field));
    }
    return out;
  }

  private static List<Object> recommendations(Map<String, Object> options, String text) {
    int count = CompletionOptions.intOption(options, CompletionOptions.COUNT, CompletionOptions.DEFAULT_RECOMMENDATIONS);
    List<String> candidates = CompletionOptions.candidates(options);
    List<Object> out = new ArrayList<>();
    for (String s : list(text)) {
      String picked = candidates.isEmpty() ? s : candidates.stream().filter(c -> c.strip().equalsIgnoreCase(s))
          .findFirst().orElse(null);
      if (picked != null && !out.contains(picked) && out.size() < count) out.add(picked);
    }
    if (out.isEmpty()) {
      throw unfit("the model's answer holds no recommendation" + (candidates.isEmpty() ? "" : " among the candidates")
          + ": \"" + excerpt(text) + "\"");
    }
    return out;
  }

  /** Whole texts starting with the prefix; an answer that is only the continuation is appended to the prefix. */
  private static List<Object> suggestions(Map<String, Object> options, String prefix, String text) {
    int count = CompletionOptions.intOption(options, CompletionOptions.COUNT, CompletionOptions.DEFAULT_SUGGESTIONS);
    List<Object> out = new ArrayList<>();
    for (String s : list(text)) {
      String whole = s.regionMatches(true, 0, prefix, 0, prefix.length())
          ? prefix + s.substring(prefix.length()) : prefix + s;
      if (!whole.equals(prefix) && !out.contains(whole) && out.size() < count) out.add(whole);
    }
    if (out.isEmpty()) throw unfit("the model's answer holds no completion: \"" + excerpt(text) + "\"");
    return out;
  }

  /** A JSON array's entries, or else the answer's lines without list markers. */
  private static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    if (firstJson(text, '[') instanceof List<?> array) {
      for (Object v : array) {
        if (v == null) continue;
        String s = v instanceof String str ? str : String.valueOf(v);
        if (!s.isBlank()) out.add(s);
      }
      return out;
    }
    for (String line : text.split("\\n")) {
      String s = line.replaceFirst("^\\s*(?:[-*•]|\\d+[.)])\\s*", "").strip();
      if (!s.isEmpty()) out.add(s);
    }
    return out;
  }

  /**
   * The first JSON value opening with {@code open} ({ or [): the whole answer, the inside of a code fence, or
   * the span from the first {@code open} to the last matching closer. Null when there is none.
   */
  static Object firstJson(String text, char open) {
    char close = open == '{' ? '}' : ']';
    String t = text.strip();
    int fence = t.indexOf("```");
    if (fence >= 0) {
      int start = t.indexOf('\n', fence);
      int end = t.indexOf("```", fence + 3);
      if (start > 0 && end > start) t = t.substring(start + 1, end).strip();
    }
    int from = t.indexOf(open);
    int to = t.lastIndexOf(close);
    if (from < 0 || to <= from) return null;
    try {
      Object value = JSON.readValue(t.substring(from, to + 1), Object.class);
      return open == '{' ? (value instanceof Map<?, ?> ? value : null) : (value instanceof List<?> ? value : null);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Unfit unfit(String message) {
    return new Unfit(CompletionFailures.INVALID_OUTPUT, message);
  }

  private static String excerpt(String s) {
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() > 120 ? t.substring(0, 120) + "…" : t;
  }
}
