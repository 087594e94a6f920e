package io.durableflows.workflows.evals;

import io.durableflows.workflows.llm.LlmFailures;
import java.util.ArrayList;
import java.util.List;

/** Typed failures of evaluations; a judge's model call fails with {@link LlmFailures}' types. */
public final class EvalFailures {
  /** The evaluator's configuration cannot work (bad pattern, schema, range, missing expected value). */
  public static final String INVALID_EVALUATOR = "InvalidEvaluator";
  /** The judge answered without a usable score. */
  public static final String JUDGE_NO_SCORE = "JudgeReplyWithoutScore";
  /** An evaluation flow completed, but its output carries no numeric {@code score}. */
  public static final String FLOW_NO_SCORE = "EvalFlowWithoutScore";

  /** What the {@code Evaluate} activity is not retried for. */
  public static final List<String> NON_RETRYABLE;

  static {
    List<String> all = new ArrayList<>(LlmFailures.NON_RETRYABLE);
    all.add(INVALID_EVALUATOR);
    all.add(JUDGE_NO_SCORE);
    NON_RETRYABLE = List.copyOf(all);
  }

  private EvalFailures() {}
}
