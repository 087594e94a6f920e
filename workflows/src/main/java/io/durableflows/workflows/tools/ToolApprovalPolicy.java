package io.durableflows.workflows.tools;

import io.durableflows.workflows.flow.BudgetedRegex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * When a tool call must wait for a person: {@code "always"}, {@code "never"}, or rules on the call's arguments,
 * {@code {"rules": [{"argument": "amount", "operator": "gt", "value": 100}], "match": "any"}} (approval is needed
 * when any, or all, rules hold). Pure, so the run workflow evaluates it for every tool call it makes.
 */
public record ToolApprovalPolicy(String mode, List<Rule> rules, boolean matchAll) {
  public static final String ALWAYS = "always";
  public static final String NEVER = "never";
  public static final String RULES = "rules";
  public static final ToolApprovalPolicy ALWAYS_POLICY = new ToolApprovalPolicy(ALWAYS, List.of(), false);
  public static final ToolApprovalPolicy NEVER_POLICY = new ToolApprovalPolicy(NEVER, List.of(), false);
  public static final Set<String> OPERATORS = Set.of("equals", "not_equals", "gt", "gte", "lt", "lte", "in", "not_in",
      "contains", "matches", "exists", "not_exists");
  private static final Set<String> NO_VALUE = Set.of("exists", "not_exists");

  /** {@code argument} is a dot path into the arguments ({@code payee.country}, {@code items.0.price}). */
  public record Rule(String argument, String operator, Object value) {}

  /** Whether a call needs approval, and why (shown to the approver). */
  public record Evaluation(boolean required, String reason) {}

  /** What is wrong with a policy as written in a flow; empty when it is usable. {@code null} is usable. */
  public static List<String> problems(Object raw) {
    List<String> problems = new ArrayList<>();
    if (raw == null || ALWAYS.equals(raw) || NEVER.equals(raw)) return problems;
    if (raw instanceof String) {
      problems.add("must be \"always\", \"never\" or {\"rules\": [...], \"match\": \"any\" | \"all\"}");
      return problems;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      problems.add("must be \"always\", \"never\" or an object with rules");
      return problems;
    }
    for (Object key : map.keySet()) {
      if (!Set.of("rules", "match", "mode").contains(key)) problems.add("'" + key + "' is not a policy property");
    }
    if (map.get("mode") != null && !Set.of(ALWAYS, NEVER, RULES).contains(map.get("mode"))) {
      problems.add("mode must be always, never or rules");
    }
    if (map.get("match") != null && !Set.of("any", "all").contains(map.get("match"))) {
      problems.add("match must be \"any\" or \"all\"");
    }
    boolean needsRules = map.get("mode") == null || RULES.equals(map.get("mode"));
    Object rules = map.get("rules");
    if (needsRules && !(rules instanceof List<?> list && !list.isEmpty())) {
      problems.add("rules must be a non-empty array");
      return problems;
    }
    if (rules instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) ruleProblems(list.get(i), "rules[" + i + "]", problems);
    }
    return problems;
  }

  private static void ruleProblems(Object raw, String where, List<String> problems) {
    if (!(raw instanceof Map<?, ?> rule)) {
      problems.add(where + " must be an object {argument, operator, value}");
      return;
    }
    for (Object key : rule.keySet()) {
      if (!Set.of("argument", "operator", "value").contains(key)) {
        problems.add(where + ": '" + key + "' is not a rule property");
      }
    }
    if (!(rule.get("argument") instanceof String a) || a.isBlank()) {
      problems.add(where + ".argument must name an argument (a dot path)");
    }
    Object op = rule.get("operator");
    if (!(op instanceof String o) || !OPERATORS.contains(o)) {
      problems.add(where + ".operator must be one of " + new java.util.TreeSet<>(OPERATORS));
      return;
    }
    Object value = rule.get("value");
    if (!NO_VALUE.contains(op) && value == null) problems.add(where + ".value is required for " + op);
    if (Set.of("gt", "gte", "lt", "lte").contains(op) && !(value instanceof Number)) {
      problems.add(where + ".value must be a number for " + op);
    }
    if (Set.of("in", "not_in").contains(op) && !(value instanceof List)) {
      problems.add(where + ".value must be an array for " + op);
    }
    if ("matches".equals(op)) {
      try {
        Pattern.compile(String.valueOf(value));
      } catch (PatternSyntaxException e) {
        problems.add(where + ".value is not a valid regular expression");
      }
    }
  }

  /** The policy a flow wrote, or {@code fallback} when it wrote none. Call {@link #problems} first. */
  public static ToolApprovalPolicy parse(Object raw, ToolApprovalPolicy fallback) {
    if (raw == null) return fallback;
    if (ALWAYS.equals(raw)) return ALWAYS_POLICY;
    if (NEVER.equals(raw)) return NEVER_POLICY;
    Map<?, ?> map = (Map<?, ?>) raw;
    Object mode = map.get("mode");
    if (ALWAYS.equals(mode)) return ALWAYS_POLICY;
    if (NEVER.equals(mode)) return NEVER_POLICY;
    List<Rule> rules = new ArrayList<>();
    for (Object r : (List<?>) map.get("rules")) {
      Map<?, ?> rule = (Map<?, ?>) r;
      rules.add(new Rule((String) rule.get("argument"), (String) rule.get("operator"), rule.get("value")));
    }
    return new ToolApprovalPolicy(RULES, List.copyOf(rules), "all".equals(map.get("match")));
  }

  public Evaluation evaluate(Map<String, Object> arguments) {
    if (ALWAYS.equals(mode)) return new Evaluation(true, "this tool always needs approval");
    if (NEVER.equals(mode)) return new Evaluation(false, null);
    List<String> held = new ArrayList<>();
    for (Rule rule : rules) {
      if (holds(rule, arguments)) {
        held.add(describe(rule));
      } else if (matchAll) {
        return new Evaluation(false, null);
      }
    }
    if (held.isEmpty()) return new Evaluation(false, null);
    return new Evaluation(true, "approval rule matched: " + String.join(matchAll ? " and " : ", ", held));
  }

  private static String describe(Rule rule) {
    return rule.value() == null && NO_VALUE.contains(rule.operator())
        ? rule.argument() + " " + rule.operator()
        : rule.argument() + " " + rule.operator() + " " + rule.value();
  }

  private static boolean holds(Rule rule, Map<String, Object> arguments) {
    Object actual = lookup(arguments, rule.argument());
    Object expected = rule.value();
    return switch (rule.operator()) {
      case "exists" -> actual != null;
      case "not_exists" -> actual == null;
      case "equals" -> same(actual, expected);
      case "not_equals" -> !same(actual, expected);
      case "gt" -> compare(actual, expected) > 0;
      case "gte" -> compare(actual, expected) >= 0;
      case "lt" -> actual instanceof Number && compare(actual, expected) < 0;
      case "lte" -> actual instanceof Number && compare(actual, expected) <= 0;
      case "in" -> ((List<?>) expected).stream().anyMatch(v -> same(actual, v));
      case "not_in" -> ((List<?>) expected).stream().noneMatch(v -> same(actual, v));
      case "contains" -> actual instanceof String s ? s.contains(String.valueOf(expected))
          : actual instanceof List<?> l && l.stream().anyMatch(v -> same(v, expected));
      case "matches" -> actual != null && matches(Pattern.compile(String.valueOf(expected)), String.valueOf(actual));
      default -> false;
    };
  }

  /** Character reads a {@code matches} rule may make; the arguments come from a model or a person. */
  private static final int REGEX_BUDGET = 1_000_000;

  /**
   * The rule's regex over the argument, in bounded work: a pattern that backtracks badly would otherwise hold the
   * workflow thread past Temporal's deadlock detector on every replay. Counting reads, not time, keeps it
   * deterministic; a pattern that runs out of budget counts as matching, so the call waits for a person.
   */
  private static boolean matches(Pattern pattern, String text) {
    try {
      return BudgetedRegex.find(pattern, text, REGEX_BUDGET);
    } catch (BudgetedRegex.Exhausted e) {
      return true;
    }
  }

  /** Missing or non-numeric values never compare greater: a rule cannot be dodged, nor tripped, by a bad type. */
  private static int compare(Object actual, Object expected) {
    if (!(actual instanceof Number a) || !(expected instanceof Number e)) return Integer.MIN_VALUE;
    return Double.compare(a.doubleValue(), e.doubleValue());
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return a == null ? b == null : a.equals(b);
  }

  static Object lookup(Map<String, Object> arguments, String path) {
    Object current = arguments;
    for (String part : path.split("\\.")) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(part);
      } else if (current instanceof List<?> list && part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
        int i = Integer.parseInt(part);
        current = i < list.size() ? list.get(i) : null;
      } else {
        return null;
      }
    }
    return current;
  }
}
