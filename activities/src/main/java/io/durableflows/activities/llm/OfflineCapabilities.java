package io.durableflows.activities.llm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline model's answers to the built-in capability flows (plan, reflect), recognised by their system
 * prompts: deterministic and shaped as those flows ask, so the capability routes work with no API key.
 */
final class OfflineCapabilities {
  /** Words the capability flows' system prompts carry (api-service {@code capabilities/*.json}). */
  static final String PLAN_MARKER = "numbered plan";
  static final String REFLECT_MARKER = "Revised answer:";
  private static final Pattern GOAL = Pattern.compile("(?s)Goal:\\s*(.+?)\\s*$");
  private static final Pattern REFLECT_INPUT = Pattern.compile("(?s)Criteria:\\s*(.*?)\\s*Draft:\\s*(.*?)\\s*$");

  private OfflineCapabilities() {}

  static Optional<String> answer(String system, String user) {
    if (system == null) return Optional.empty();
    if (system.contains(PLAN_MARKER)) return Optional.of(plan(user));
    if (system.contains(REFLECT_MARKER)) return Optional.of(reflect(user));
    return Optional.empty();
  }

  static String plan(String user) {
    Matcher m = GOAL.matcher(user == null ? "" : user);
    String goal = oneLine(m.find() ? m.group(1) : user);
    return "1. Clarify what \"" + goal + "\" requires and what done looks like.\n"
        + "2. Gather the information and tools the goal needs.\n"
        + "3. Do the work in small steps, checking each result.\n"
        + "4. Review the outcome against the goal and report it.";
  }

  static String reflect(String user) {
    Matcher m = REFLECT_INPUT.matcher(user == null ? "" : user);
    String criteria = m.find() ? oneLine(m.group(1)) : "";
    m.reset();
    String draft = m.find() ? m.group(2).strip() : (user == null ? "" : user.strip());
    StringBuilder problems = new StringBuilder();
    String collapsed = draft.replaceAll("\\s+", " ").strip();
    if (collapsed.isEmpty()) {
      problems.append("the draft is empty");
    } else {
      if (Character.isLowerCase(collapsed.charAt(0))) problems.append("it does not start with a capital letter; ");
      if (!collapsed.matches(".*[.!?]$")) problems.append("it does not end with a full stop; ");
      if (!collapsed.equals(draft)) problems.append("it has stray whitespace; ");
      if (problems.isEmpty()) problems.append("no problems found by the offline reviewer; ");
      problems.setLength(problems.length() - 2);
    }
    String revised = collapsed.isEmpty() ? collapsed
        : Character.toUpperCase(collapsed.charAt(0)) + collapsed.substring(1);
    if (!revised.isEmpty() && !revised.matches(".*[.!?]$")) revised += ".";
    return "Critique: checked against " + (criteria.isEmpty() ? "the usual criteria" : "\"" + criteria + "\"")
        + ", " + words(collapsed) + " words: " + problems + ".\n" + REFLECT_MARKER + " " + revised;
  }

  private static int words(String s) {
    return s.isBlank() ? 0 : s.strip().split("\\s+").length;
  }

  private static String oneLine(String s) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }
}
