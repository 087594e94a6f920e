package io.durableflows.workflows.evals;

import java.util.Map;

/**
 * One evaluator attached to a flow. {@code kind} is one of {@link EvaluatorKinds}; {@code config} holds that kind's
 * settings (a judge's rubric and score range, the expected text or pattern, a JSON Schema, a tolerance, the slug of
 * an evaluation flow). {@code autoRun} evaluators run after every run unless the request selects others or skips.
 */
public record EvaluatorSpec(String id, String name, String kind, Map<String, Object> config, boolean autoRun) {
  public EvaluatorSpec {
    config = config == null ? Map.of() : config;
  }
}
