package io.durableflows.workflows.evals;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs every selected evaluation of one run concurrently: each evaluator is its own retryable {@code Evaluate}
 * activity, except {@code flow} evaluators, whose published evaluation flow runs as a child run. Results are
 * recorded in PostgreSQL ({@code eval_jobs}, {@code eval_results}) as they come; an evaluation that fails is recorded
 * with its error and the job still completes. The job's row is created by its first step when nobody created it
 * before, so callers (the API, experiments) may start the workflow directly.
 */
@WorkflowInterface
public interface EvalJobWorkflow {
  @WorkflowMethod(name = "EvalJob")
  EvalJobResult run(EvalJobRequest request);

  /** Readable in Temporal UI and unique per job. */
  static String workflowId(String orgCode, String jobId) {
    return "eval/" + orgCode + "/" + jobId;
  }
}
