package io.durableflows.workflows.evals;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface EvalActivities {
  /**
   * Runs one evaluator that needs no workflow of its own (every kind but {@code flow}, which is a child workflow).
   * Fails with a retryable failure when its model is unavailable; a broken evaluator configuration is a
   * non-retryable {@code InvalidEvaluator}.
   */
  @ActivityMethod(name = "Evaluate")
  EvalResult evaluate(EvalCall call);
}
