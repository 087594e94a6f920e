package io.durableflows.activities.evals;

import io.durableflows.activities.llm.ModelChats;
import io.durableflows.workflows.evals.EvalActivities;
import io.durableflows.workflows.evals.EvalCall;
import io.durableflows.workflows.evals.EvalFailures;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvaluatorConfigs;
import io.durableflows.workflows.evals.EvaluatorKinds;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.flow.BudgetedRegex;
import io.durableflows.workflows.flow.Templates;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.schema.JsonSchemas;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one evaluator over one run's output. The string kinds compare the evaluated value's text (the output, or the
 * value at config {@code path}; an OpenAI ChatCompletion output is read as its message content) with the expected
 * value: the call's external input's {@code expected}, else config {@code expected}, which may template over the
 * run's input ({@code {{input.answer}}}). Deterministic kinds score 1 (passed) or 0; a judge scores within its range.
 */
public class EvalActivitiesImpl implements EvalActivities {
  /** Character reads a regex evaluator may make: patterns and outputs come from users and models. */
  static final int REGEX_BUDGET = 1_000_000;
  /** The most of an output or input a judge is shown. */
  static final int JUDGE_TEXT_LIMIT = 20_000;
  /** A verdict is one short JSON object. */
  static final int JUDGE_MAX_TOKENS = 300;
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
  private static final Pattern SCORE = Pattern.compile("\"?score\"?\\s*[:=]?\\s*\"?(-?\\d+(?:\\.\\d+)?)",
      Pattern.CASE_INSENSITIVE);

  private final ModelChats chats;

  public EvalActivitiesImpl(ModelChats chats) {
    this.chats = chats;
  }

  private record Verdict(double score, boolean passed, String reason, Usage usage, double costUsd) {
    static Verdict of(boolean passed, String reason) {
      return new Verdict(passed ? 1 : 0, passed, reason, Usage.ZERO, 0);
    }
  }

  @Override
  public EvalResult evaluate(EvalCall call) {
    long started = System.nanoTime();
    EvaluatorSpec spec = call.evaluator();
    List<String> problems = EvaluatorConfigs.problems(spec.kind(), spec.config());
    if (!problems.isEmpty()) throw invalid(spec, String.join("; ", problems));
    Verdict v = switch (spec.kind()) {
      case EvaluatorKinds.EXACT -> exact(call);
      case EvaluatorKinds.CONTAINS -> contains(call);
      case EvaluatorKinds.REGEX -> regex(call);
      case EvaluatorKinds.JSON_SCHEMA -> jsonSchema(call);
      case EvaluatorKinds.NUMERIC -> numeric(call);
      case EvaluatorKinds.LLM_JUDGE -> judge(call);
      default -> throw invalid(spec, spec.kind() + " evaluators run as child workflows, not as Evaluate activities");
    };
    return new EvalResult(spec.id(), spec.name(), spec.kind(), v.score(), v.passed(), v.reason(), v.usage(),
        v.costUsd(), (System.nanoTime() - started) / 1_000_000, null);
  }

  private Verdict exact(EvalCall call) {
    String expected = EvalValues.text(expected(call, true));
    String actual = EvalValues.text(value(call));
    boolean same = caseSensitive(call, true) ? actual.strip().equals(expected.strip())
        : actual.strip().equalsIgnoreCase(expected.strip());
    return Verdict.of(same, same ? "the output equals the expected value"
        : "expected " + quote(expected) + " but the output is " + quote(actual));
  }

  private Verdict contains(EvalCall call) {
    Object expected = expected(call, true);
    List<String> wanted = new ArrayList<>();
    if (expected instanceof List<?> list) {
      list.forEach(item -> wanted.add(EvalValues.text(item)));
    } else {
      wanted.add(EvalValues.text(expected));
    }
    boolean sensitive = caseSensitive(call, false);
    String actual = EvalValues.text(value(call));
    String haystack = sensitive ? actual : actual.toLowerCase(Locale.ROOT);
    List<String> missing = wanted.stream()
        .filter(w -> !haystack.contains(sensitive ? w : w.toLowerCase(Locale.ROOT))).toList();
    return Verdict.of(missing.isEmpty(), missing.isEmpty() ? "the output contains " + String.join(", ",
        wanted.stream().map(EvalActivitiesImpl::quote).toList())
        : "the output does not contain " + String.join(", ", missing.stream().map(EvalActivitiesImpl::quote).toList()));
  }

  private Verdict regex(EvalCall call) {
    String pattern = (String) call.evaluator().config().get("pattern");
    Pattern compiled = Pattern.compile(pattern, caseSensitive(call, true) ? 0 : Pattern.CASE_INSENSITIVE);
    try {
      boolean found = BudgetedRegex.find(compiled, EvalValues.text(value(call)), REGEX_BUDGET);
      return Verdict.of(found, found ? "the output matches /" + pattern + "/"
          : "the output does not match /" + pattern + "/");
    } catch (BudgetedRegex.Exhausted e) {
      throw invalid(call.evaluator(), "the pattern /" + pattern + "/ needs more than " + REGEX_BUDGET
          + " character reads on this output, its budget (catastrophic backtracking?)");
    }
  }

  private Verdict jsonSchema(EvalCall call) {
    Object value = value(call);
    if (value instanceof String s) {
      value = EvalValues.parseJson(s);
      if (value == null) return Verdict.of(false, "the output is not JSON");
    }
    List<String> violations = JsonSchemas.violations(call.evaluator().config().get("schema"), value);
    return Verdict.of(violations.isEmpty(), violations.isEmpty() ? "the output matches the schema"
        : String.join("; ", violations.subList(0, Math.min(5, violations.size()))));
  }

  private Verdict numeric(EvalCall call) {
    Map<String, Object> config = call.evaluator().config();
    Double expected = number(expected(call, true));
    if (expected == null) {
      throw invalid(call.evaluator(), "the expected value " + quote(EvalValues.text(expected(call, true)))
          + " is not a number");
    }
    Double actual = number(value(call));
    if (actual == null) return Verdict.of(false, "the output holds no number");
    double tolerance = config.get("tolerance") instanceof Number n ? n.doubleValue() : 0;
    boolean relative = Boolean.TRUE.equals(config.get("relative"));
    double allowed = relative ? tolerance * Math.abs(expected) : tolerance;
    double diff = Math.abs(actual - expected);
    boolean passed = diff <= allowed + 1e-12;
    return Verdict.of(passed, JudgePrompts.number(actual) + (passed ? " is within " : " is not within ")
        + JudgePrompts.number(allowed) + " of " + JudgePrompts.number(expected));
  }

  private Verdict judge(EvalCall call) {
    Map<String, Object> config = call.evaluator().config();
    EvaluatorConfigs.JudgeScale scale = EvaluatorConfigs.JudgeScale.of(config);
    String rubric = Templates.render((String) config.get("rubric"), context(call));
    Object expected = expected(call, false);
    String message = JudgePrompts.message(rubric, scale.min(), scale.max(), limit(EvalValues.text(call.input())),
        expected == null ? null : limit(EvalValues.text(expected)), limit(EvalValues.text(value(call))));
    ModelChats.Answer answer = chats.chat((String) config.get("provider"), (String) config.get("model"),
        List.of(ChatMessage.system(JudgePrompts.INSTRUCTION), ChatMessage.user(message)), JUDGE_MAX_TOKENS);
    Map<String, Object> verdict = judgeVerdict(answer.text());
    Double score = verdict == null ? null : number(verdict.get("score"));
    if (score == null) {
      Matcher m = SCORE.matcher(answer.text());
      if (m.find()) score = Double.parseDouble(m.group(1));
    }
    if (score == null) {
      throw ApplicationFailure.newNonRetryableFailure("the judge (" + answer.provider() + "/" + answer.model()
          + ") replied without a score: " + quote(answer.text()), EvalFailures.JUDGE_NO_SCORE);
    }
    double clamped = scale.clamp(score);
    Object reason = verdict == null ? null : verdict.get("reason");
    return new Verdict(clamped, clamped >= scale.passThreshold(),
        reason == null ? answer.text() : String.valueOf(reason), answer.usage(), answer.costUsd());
  }

  /** The judge's JSON object, wherever it sits in the reply (code fences, a sentence around it), or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> judgeVerdict(String reply) {
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) return null;
    Object parsed = EvalValues.parseJson(reply.substring(start, end + 1));
    return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  private static Map<String, Object> context(EvalCall call) {
    return Map.of("input", call.input() == null ? Map.of() : call.input());
  }

  /** The external input's {@code expected}, else the configured one rendered over the run's input. */
  private static Object expected(EvalCall call, boolean required) {
    if (call.externalInput() != null && call.externalInput().get("expected") != null) {
      return call.externalInput().get("expected");
    }
    Object configured = call.evaluator().config().get("expected");
    if (configured != null) return Templates.renderJson(configured, context(call));
    if (!required) return null;
    throw invalid(call.evaluator(), "no expected value: pass flowEvalExternalInput.expected or set config.expected");
  }

  private static Object value(EvalCall call) {
    return EvalValues.evaluated(call.output(), call.evaluator().config().get("path"));
  }

  private static boolean caseSensitive(EvalCall call, boolean byDefault) {
    Object v = call.evaluator().config().get("case_sensitive");
    return v instanceof Boolean b ? b : byDefault;
  }

  private static Double number(Object value) {
    if (value instanceof Number n) return n.doubleValue();
    if (!(value instanceof String s)) return null;
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      Matcher m = NUMBER.matcher(s);
      return m.find() ? Double.parseDouble(m.group()) : null;
    }
  }

  private static String limit(String s) {
    return s.length() > JUDGE_TEXT_LIMIT ? s.substring(0, JUDGE_TEXT_LIMIT) + "…" : s;
  }

  private static String quote(String s) {
    String t = s.length() > 120 ? s.substring(0, 120) + "…" : s;
    return "\"" + t + "\"";
  }

  private static ApplicationFailure invalid(EvaluatorSpec spec, String message) {
    return ApplicationFailure.newNonRetryableFailure("evaluator '" + spec.name() + "': " + message,
        EvalFailures.INVALID_EVALUATOR);
  }
}
