package io.durableflows.activities.evals;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The judge's prompt: a fixed instruction (the offline model recognises it and judges by itself) and a message of
 * titled sections, one per thing the judge weighs.
 */
public final class JudgePrompts {
  public static final String INSTRUCTION = "You are a strict evaluator of AI outputs. Score the output against the "
      + "rubric, within the score range. Reply with one JSON object and nothing else: "
      + "{\"score\": <number>, \"reason\": \"<one sentence>\"}";
  public static final String RUBRIC = "Rubric";
  public static final String RANGE = "Score range";
  public static final String INPUT = "Input";
  public static final String EXPECTED = "Expected answer";
  public static final String OUTPUT = "Output to evaluate";
  private static final String MARK = "### ";

  private JudgePrompts() {}

  static String message(String rubric, double min, double max, String input, String expected, String output) {
    StringBuilder m = new StringBuilder();
    section(m, RUBRIC, rubric);
    section(m, RANGE, number(min) + " to " + number(max) + " (higher is better)");
    section(m, INPUT, input);
    if (expected != null) section(m, EXPECTED, expected);
    section(m, OUTPUT, output);
    return m.toString().strip();
  }

  /** The sections of a judge message by title, for the offline judge. */
  public static Map<String, String> sections(String message) {
    Map<String, String> sections = new LinkedHashMap<>();
    String title = null;
    StringBuilder body = new StringBuilder();
    for (String line : message.split("\n", -1)) {
      if (line.startsWith(MARK)) {
        if (title != null) sections.put(title, body.toString().strip());
        title = line.substring(MARK.length()).strip();
        body.setLength(0);
      } else if (title != null) {
        body.append(line).append('\n');
      }
    }
    if (title != null) sections.put(title, body.toString().strip());
    return sections;
  }

  private static void section(StringBuilder m, String title, String body) {
    m.append(MARK).append(title).append('\n').append(body == null ? "" : body.strip()).append("\n\n");
  }

  /** A number as a judge reads it: no ".0" on whole numbers. */
  public static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
  }
}
