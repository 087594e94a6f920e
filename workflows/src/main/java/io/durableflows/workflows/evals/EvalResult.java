package io.durableflows.workflows.evals;

import io.durableflows.workflows.llm.Usage;

/**
 * What one evaluation concluded. {@code score} and {@code passed} are null when the evaluation itself failed;
 * {@code error} then says why. Tokens and cost are those the evaluation spent (a judge's model call, an
 * evaluation flow's run), not the evaluated run's.
 */
public record EvalResult(
    String evaluatorId, String name, String kind, Double score, Boolean passed, String reason, Usage usage,
    double costUsd, long durationMs, String error) {}
