package io.durableflows.workflows.evals;

import java.util.Map;

/**
 * One evaluation an eval job runs: the evaluator (a snapshot, so editing it later does not change a job) and what the
 * caller passed for it (001's {@code flowEvalExternalInput}, e.g. {@code expected}), null if nothing.
 */
public record EvalSelection(EvaluatorSpec evaluator, Map<String, Object> externalInput) {}
