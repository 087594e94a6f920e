package io.durableflows.activities.llm;

import io.durableflows.activities.evals.JudgePrompts;
import io.durableflows.workflows.evals.EvaluatorConfigs;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline model as an LLM judge: deterministic, no key. The score is the share of the reference's words (the
 * expected answer when the judge has one, else the rubric) found in the output, spread over the score range.
 */
final class OfflineJudge {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern RANGE = Pattern.compile("(-?\\d+(?:\\.\\d+)?) to (-?\\d+(?:\\.\\d+)?)");
  /** Words that say nothing about whether two answers agree. */
  private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "of", "to",
      "and", "or", "in", "on", "at", "for", "with", "it", "its", "this", "that", "as", "by", "from", "should",
      "must", "answer", "output", "response");

  private OfflineJudge() {}

  static Optional<String> answer(String instruction, String message) {
    if (!JudgePrompts.INSTRUCTION.equals(instruction)) return Optional.empty();
    Map<String, String> sections = JudgePrompts.sections(message);
    double min = EvaluatorConfigs.JUDGE_MIN;
    double max = EvaluatorConfigs.JUDGE_MAX;
    Matcher range = RANGE.matcher(sections.getOrDefault(JudgePrompts.RANGE, ""));
    if (range.find()) {
      min = Double.parseDouble(range.group(1));
      max = Double.parseDouble(range.group(2));
    }
    boolean hasExpected = sections.containsKey(JudgePrompts.EXPECTED);
    Set<String> reference = words(sections.getOrDefault(hasExpected ? JudgePrompts.EXPECTED : JudgePrompts.RUBRIC, ""));
    Set<String> output = words(sections.getOrDefault(JudgePrompts.OUTPUT, ""));
    List<String> missing = reference.stream().filter(w -> !output.contains(w)).toList();
    int found = reference.size() - missing.size();
    double share = reference.isEmpty() ? 0 : (double) found / reference.size();
    double score = Math.round((min + (max - min) * share) * 100) / 100.0;
    String what = hasExpected ? "the expected answer" : "the rubric";
    String reason = reference.isEmpty() ? "offline judge: " + what + " has no words to look for"
        : "offline judge: " + found + " of " + reference.size() + " words of " + what + " appear in the output"
            + (missing.isEmpty() ? "" : " (missing: " + String.join(", ", missing.subList(0, Math.min(5,
                missing.size()))) + ")");
    return Optional.of("{\"score\": " + JudgePrompts.number(score) + ", \"reason\": \""
        + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  private static Set<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      if (!STOP.contains(m.group())) words.add(m.group());
    }
    return words;
  }
}
