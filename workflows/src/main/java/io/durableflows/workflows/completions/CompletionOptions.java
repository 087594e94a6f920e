package io.durableflows.workflows.completions;

import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.schema.JsonSchemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options each completion operation takes, checked before anything starts (the API answers 400 with one
 * detail per problem) and read with their defaults by whoever runs an item. Unknown options are refused: a
 * misspelt {@code categorys} would otherwise be ignored silently.
 */
public final class CompletionOptions {
  public static final String CATEGORIES = "categories";
  public static final String MULTI = "multi";
  public static final String SCHEMA = "schema";
  public static final String MAX_WORDS = "max_words";
  public static final String FIELDS = "fields";
  public static final String COUNT = "count";
  public static final String CANDIDATES = "candidates";
  public static final String PROMPT = "prompt";
  public static final String SYSTEM = "system";
  public static final String INSTRUCTIONS = "instructions";
  public static final String TEMPERATURE = "temperature";
  public static final String MAX_TOKENS = "max_tokens";

  public static final int DEFAULT_MAX_WORDS = 60;
  public static final int DEFAULT_RECOMMENDATIONS = 3;
  public static final int DEFAULT_SUGGESTIONS = 3;
  static final int MAX_CATEGORIES = 100;
  static final int MAX_FIELDS = 50;
  static final int MAX_COUNT = 20;
  static final int MAX_CANDIDATES = 1000;

  private static final Map<String, Set<String>> ALLOWED = Map.of(
      CompletionOperations.LABEL, Set.of(CATEGORIES, MULTI, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.EXTRACT, Set.of(SCHEMA, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.SUMMARIZE, Set.of(MAX_WORDS, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.ENRICH, Set.of(FIELDS, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.CHAT, Set.of(SYSTEM, TEMPERATURE, MAX_TOKENS),
      CompletionOperations.RECOMMEND, Set.of(COUNT, CANDIDATES, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.AUTOCOMPLETE, Set.of(COUNT, CANDIDATES, INSTRUCTIONS, TEMPERATURE),
      CompletionOperations.RUN, Set.of(PROMPT, SYSTEM, TEMPERATURE, MAX_TOKENS));

  private CompletionOptions() {}

  /** What is wrong with {@code options} for {@code operation}; empty when an item can run with them. */
  public static List<FieldError> problems(String operation, Map<String, Object> options) {
    List<FieldError> problems = new ArrayList<>();
    if (operation == null || !ALLOWED.containsKey(operation)) {
      problems.add(FieldError.of("operation", "must be one of " + CompletionOperations.ALL));
      return problems;
    }
    Map<String, Object> o = options == null ? Map.of() : options;
    for (String key : o.keySet()) {
      if (!ALLOWED.get(operation).contains(key)) {
        problems.add(FieldError.of(key, "is not an option of " + operation + " (options: "
            + ALLOWED.get(operation).stream().sorted().toList() + ")"));
      }
    }
    switch (operation) {
      case CompletionOperations.LABEL -> {
        strings(o, CATEGORIES, true, MAX_CATEGORIES, problems);
        bool(o, MULTI, problems);
      }
      case CompletionOperations.EXTRACT -> schema(o, problems);
      case CompletionOperations.SUMMARIZE -> integer(o, MAX_WORDS, 1, 2000, problems);
      case CompletionOperations.ENRICH -> fields(o, problems);
      case CompletionOperations.RECOMMEND, CompletionOperations.AUTOCOMPLETE -> {
        integer(o, COUNT, 1, MAX_COUNT, problems);
        strings(o, CANDIDATES, false, MAX_CANDIDATES, problems);
      }
      case CompletionOperations.RUN -> {
        if (!(o.get(PROMPT) instanceof String p) || p.isBlank()) {
          problems.add(FieldError.of(PROMPT, "is required: a template such as \"Translate to French: {{item}}\""));
        }
      }
      default -> {}
    }
    text(o, INSTRUCTIONS, problems);
    text(o, SYSTEM, problems);
    if (o.get(TEMPERATURE) != null && !(o.get(TEMPERATURE) instanceof Number t && t.doubleValue() >= 0
        && t.doubleValue() <= 2)) {
      problems.add(FieldError.of(TEMPERATURE, "must be a number from 0 to 2"));
    }
    integer(o, MAX_TOKENS, 1, 32_000, problems);
    return problems;
  }

  /** The categories of a label call, in the order given. */
  @SuppressWarnings("unchecked")
  public static List<String> categories(Map<String, Object> options) {
    return (List<String>) options.get(CATEGORIES);
  }

  public static boolean multi(Map<String, Object> options) {
    return Boolean.TRUE.equals(options.get(MULTI));
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> schema(Map<String, Object> options) {
    return (Map<String, Object>) options.get(SCHEMA);
  }

  /** Field name to instruction, in the order given. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> fields(Map<String, Object> options) {
    return (Map<String, String>) options.get(FIELDS);
  }

  @SuppressWarnings("unchecked")
  public static List<String> candidates(Map<String, Object> options) {
    Object c = options.get(CANDIDATES);
    return c == null ? List.of() : (List<String>) c;
  }

  public static int intOption(Map<String, Object> options, String name, int fallback) {
    return options.get(name) instanceof Number n ? n.intValue() : fallback;
  }

  public static Double temperature(Map<String, Object> options) {
    return options.get(TEMPERATURE) instanceof Number n ? n.doubleValue() : null;
  }

  public static Integer maxTokens(Map<String, Object> options) {
    return options.get(MAX_TOKENS) instanceof Number n ? n.intValue() : null;
  }

  public static String string(Map<String, Object> options, String name) {
    return options.get(name) instanceof String s && !s.isBlank() ? s : null;
  }

  private static void strings(Map<String, Object> o, String name, boolean required, int max,
      List<FieldError> problems) {
    Object value = o.get(name);
    if (value == null) {
      if (required) problems.add(FieldError.of(name, "is required: a list of strings"));
      return;
    }
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      problems.add(FieldError.of(name, "must be a non-empty list of strings"));
      return;
    }
    if (list.size() > max) problems.add(FieldError.of(name, "may hold at most " + max + " entries"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank()) {
        problems.add(FieldError.of(name + "[" + i + "]", "must be a non-blank string"));
      } else if (!seen.add(s.strip().toLowerCase(java.util.Locale.ROOT))) {
        problems.add(FieldError.of(name + "[" + i + "]", "repeats \"" + s + "\""));
      }
    }
  }

  private static void schema(Map<String, Object> o, List<FieldError> problems) {
    Object schema = o.get(SCHEMA);
    if (schema == null) {
      problems.add(FieldError.of(SCHEMA, "is required: a JSON Schema of the object to extract"));
      return;
    }
    List<String> wrong = JsonSchemas.problems(schema);
    if (!wrong.isEmpty()) {
      wrong.forEach(p -> problems.add(FieldError.of(SCHEMA, p)));
      return;
    }
    Map<?, ?> map = (Map<?, ?>) schema;
    if (!"object".equals(map.get("type")) || !(map.get("properties") instanceof Map<?, ?> props) || props.isEmpty()) {
      problems.add(FieldError.of(SCHEMA, "must describe an object: \"type\": \"object\" with \"properties\""));
    }
  }

  private static void fields(Map<String, Object> o, List<FieldError> problems) {
    Object fields = o.get(FIELDS);
    if (!(fields instanceof Map<?, ?> map) || map.isEmpty()) {
      problems.add(FieldError.of(FIELDS, "is required: an object of field name to instruction, e.g. "
          + "{\"sentiment\": \"positive, negative or neutral\"}"));
      return;
    }
    if (map.size() > MAX_FIELDS) problems.add(FieldError.of(FIELDS, "may hold at most " + MAX_FIELDS + " fields"));
    for (var e : map.entrySet()) {
      if (!(e.getValue() instanceof String s) || s.isBlank()) {
        problems.add(FieldError.of(FIELDS + "." + e.getKey(), "must be a non-blank instruction"));
      }
    }
  }

  private static void integer(Map<String, Object> o, String name, int min, int max, List<FieldError> problems) {
    Object value = o.get(name);
    if (value == null) return;
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      problems.add(FieldError.of(name, "must be an integer from " + min + " to " + max));
    }
  }

  private static void bool(Map<String, Object> o, String name, List<FieldError> problems) {
    if (o.get(name) != null && !(o.get(name) instanceof Boolean)) {
      problems.add(FieldError.of(name, "must be true or false"));
    }
  }

  private static void text(Map<String, Object> o, String name, List<FieldError> problems) {
    if (o.get(name) != null && !(o.get(name) instanceof String)) {
      problems.add(FieldError.of(name, "must be a string"));
    }
  }
}
