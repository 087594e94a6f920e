package io.durableflows.workflows.evals;

import java.util.Map;

/**
 * One evaluation of one run's output. {@code key} is the same for every attempt (the call journal's idempotency
 * key); {@code externalInput} is what the caller passed for this evaluation (e.g. {@code expected}), null if none.
 */
public record EvalCall(
    String key, String orgCode, String runId, EvaluatorSpec evaluator, Map<String, Object> input, Object output,
    Map<String, Object> externalInput) {}
