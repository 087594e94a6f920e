package io.durableflows.workflows.evals;

import java.util.List;

/** The kinds of evaluator a flow can carry. */
public final class EvaluatorKinds {
  /** A model scores the output against a rubric within a score range. */
  public static final String LLM_JUDGE = "llm_judge";
  public static final String EXACT = "exact";
  public static final String CONTAINS = "contains";
  public static final String REGEX = "regex";
  public static final String JSON_SCHEMA = "json_schema";
  /** The output is a number within a tolerance of the expected one. */
  public static final String NUMERIC = "numeric";
  /** A published flow whose output carries a score; it runs as a child workflow. */
  public static final String FLOW = "flow";

  public static final List<String> ALL = List.of(LLM_JUDGE, EXACT, CONTAINS, REGEX, JSON_SCHEMA, NUMERIC, FLOW);

  private EvaluatorKinds() {}
}
