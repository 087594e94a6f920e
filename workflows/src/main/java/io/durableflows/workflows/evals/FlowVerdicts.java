package io.durableflows.workflows.evals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.run.RunResult;
import java.util.Map;

/**
 * Reads an evaluation flow's verdict from its output: an object (or a JSON text of one) with a numeric
 * {@code score}, an optional boolean {@code passed} (else the score is compared with the evaluator's
 * {@code pass_threshold}, default {@value #DEFAULT_PASS_THRESHOLD}) and an optional {@code reason}. Pure, for
 * workflow code.
 */
final class FlowVerdicts {
  static final double DEFAULT_PASS_THRESHOLD = 0.5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlowVerdicts() {}

  static EvalResult of(EvaluatorSpec spec, RunResult run, long durationMs) {
    Map<?, ?> verdict = verdict(run.output());
    Double score = verdict == null ? null : number(verdict.get("score"));
    if (score == null) {
      return new EvalResult(spec.id(), spec.name(), spec.kind(), null, null, null, run.usage(), run.costUsd(),
          durationMs, EvalFailures.FLOW_NO_SCORE + ": the output of evaluation flow run " + run.runId()
              + " carries no numeric 'score'");
    }
    Object passedValue = verdict.get("passed");
    Double threshold = number(spec.config().get("pass_threshold"));
    boolean passed = passedValue instanceof Boolean b ? b
        : score >= (threshold == null ? DEFAULT_PASS_THRESHOLD : threshold);
    Object reason = verdict.get("reason");
    return new EvalResult(spec.id(), spec.name(), spec.kind(), score, passed,
        reason == null ? null : String.valueOf(reason), run.usage(), run.costUsd(), durationMs, null);
  }

  private static Map<?, ?> verdict(Object output) {
    if (output instanceof Map<?, ?> map) return map;
    if (output instanceof String text) {
      try {
        return JSON.readValue(text.strip(), Map.class);
      } catch (Exception e) {
        return null;
      }
    }
    return null;
  }

  private static Double number(Object value) {
    if (value instanceof Number n) return n.doubleValue();
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
