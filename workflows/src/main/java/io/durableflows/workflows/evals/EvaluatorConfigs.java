package io.durableflows.workflows.evals;

import io.durableflows.workflows.schema.JsonSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The settings each kind of evaluator takes, and what is wrong with a given configuration: the API refuses such an
 * evaluator (400), the {@code Evaluate} activity fails an old one non-retryably. Pure.
 *
 * <ul>
 *   <li>every kind but {@code flow}: {@code path}, a dot path into an object output picking the evaluated value;
 *   <li>{@code exact}, {@code contains}: {@code expected} (else the call's external input's), {@code case_sensitive};
 *   <li>{@code regex}: {@code pattern}, {@code case_sensitive};
 *   <li>{@code json_schema}: {@code schema} (draft 2020-12);
 *   <li>{@code numeric}: {@code expected}, {@code tolerance} (≥ 0), {@code relative} (tolerance as a fraction);
 *   <li>{@code llm_judge}: {@code rubric}, {@code min}, {@code max}, {@code pass_threshold}, {@code provider},
 *       {@code model}, {@code expected} (a reference answer the judge sees);
 *   <li>{@code flow}: {@code flow} (a published flow's slug), {@code version}, {@code pass_threshold}.
 * </ul>
 */
public final class EvaluatorConfigs {
  public static final double JUDGE_MIN = 0;
  public static final double JUDGE_MAX = 10;

  private static final Map<String, Set<String>> FIELDS = Map.of(
      EvaluatorKinds.EXACT, Set.of("path", "expected", "case_sensitive"),
      EvaluatorKinds.CONTAINS, Set.of("path", "expected", "case_sensitive"),
      EvaluatorKinds.REGEX, Set.of("path", "pattern", "case_sensitive"),
      EvaluatorKinds.JSON_SCHEMA, Set.of("path", "schema"),
      EvaluatorKinds.NUMERIC, Set.of("path", "expected", "tolerance", "relative"),
      EvaluatorKinds.LLM_JUDGE, Set.of("path", "rubric", "min", "max", "pass_threshold", "provider", "model",
          "expected"),
      EvaluatorKinds.FLOW, Set.of("flow", "version", "pass_threshold"));

  private EvaluatorConfigs() {}

  /** Each problem as {@code config.<field> ...}; empty when the configuration works. The kind must be known. */
  public static List<String> problems(String kind, Map<String, Object> config) {
    List<String> problems = new ArrayList<>();
    Set<String> allowed = FIELDS.get(kind);
    if (allowed == null) {
      problems.add("kind must be one of " + EvaluatorKinds.ALL);
      return problems;
    }
    Map<String, Object> c = config == null ? Map.of() : config;
    for (String key : c.keySet()) {
      if (!allowed.contains(key)) {
        problems.add("config." + key + " is not a setting of " + kind + " evaluators (settings: "
            + new TreeSet<>(allowed) + ")");
      }
    }
    optionalString(c, "path", problems);
    optionalBoolean(c, "case_sensitive", problems);
    switch (kind) {
      case EvaluatorKinds.REGEX -> {
        if (!(c.get("pattern") instanceof String p) || p.isEmpty()) {
          problems.add("config.pattern is required (a regular expression)");
        } else {
          try {
            Pattern.compile(p);
          } catch (PatternSyntaxException e) {
            problems.add("config.pattern is not a valid regular expression: " + e.getDescription());
          }
        }
      }
      case EvaluatorKinds.JSON_SCHEMA -> {
        if (c.get("schema") == null) {
          problems.add("config.schema is required (a JSON Schema object)");
        } else {
          for (String p : JsonSchemas.problems(c.get("schema"))) problems.add("config.schema: " + p);
        }
      }
      case EvaluatorKinds.NUMERIC -> {
        Object expected = c.get("expected");
        if (expected != null && !(expected instanceof Number) && !(expected instanceof String)) {
          problems.add("config.expected must be a number or a template such as {{input.answer}}");
        }
        Object tolerance = c.get("tolerance");
        if (tolerance != null && (!(tolerance instanceof Number n) || n.doubleValue() < 0)) {
          problems.add("config.tolerance must be a number >= 0");
        }
        optionalBoolean(c, "relative", problems);
      }
      case EvaluatorKinds.LLM_JUDGE -> {
        if (!(c.get("rubric") instanceof String r) || r.isBlank()) {
          problems.add("config.rubric is required (what a good output looks like)");
        }
        Double min = number(c, "min", problems);
        Double max = number(c, "max", problems);
        Double threshold = number(c, "pass_threshold", problems);
        double lo = min == null ? JUDGE_MIN : min;
        double hi = max == null ? JUDGE_MAX : max;
        if (lo >= hi) problems.add("config.min must be less than config.max");
        if (threshold != null && lo < hi && (threshold < lo || threshold > hi)) {
          problems.add("config.pass_threshold must lie within min..max");
        }
        optionalString(c, "provider", problems);
        optionalString(c, "model", problems);
      }
      case EvaluatorKinds.FLOW -> {
        if (!(c.get("flow") instanceof String f) || f.isBlank()) {
          problems.add("config.flow is required (the slug of a published evaluation flow)");
        }
        optionalString(c, "version", problems);
        number(c, "pass_threshold", problems);
      }
      default -> {}
    }
    return problems;
  }

  private static void optionalString(Map<String, Object> c, String key, List<String> problems) {
    if (c.get(key) != null && !(c.get(key) instanceof String)) problems.add("config." + key + " must be a string");
  }

  private static void optionalBoolean(Map<String, Object> c, String key, List<String> problems) {
    if (c.get(key) != null && !(c.get(key) instanceof Boolean)) problems.add("config." + key + " must be a boolean");
  }

  private static Double number(Map<String, Object> c, String key, List<String> problems) {
    Object v = c.get(key);
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    problems.add("config." + key + " must be a number");
    return null;
  }

  /** The judge's score range and pass mark (the midpoint of the range unless set). */
  public record JudgeScale(double min, double max, double passThreshold) {
    public static JudgeScale of(Map<String, Object> config) {
      double min = config.get("min") instanceof Number n ? n.doubleValue() : JUDGE_MIN;
      double max = config.get("max") instanceof Number n ? n.doubleValue() : JUDGE_MAX;
      double pass = config.get("pass_threshold") instanceof Number n ? n.doubleValue() : min + (max - min) / 2;
      return new JudgeScale(min, max, pass);
    }

    public double clamp(double score) {
      return Math.max(min, Math.min(max, score));
    }
  }
}
