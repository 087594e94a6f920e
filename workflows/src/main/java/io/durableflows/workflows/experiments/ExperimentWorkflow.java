package io.durableflows.workflows.experiments;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one flow release over every row of a dataset, then the chosen evaluations of each row, and records each
 * row's result in PostgreSQL as it finishes. A row that fails is recorded as failed and the experiment goes on.
 */
@WorkflowInterface
public interface ExperimentWorkflow {
  @WorkflowMethod(name = "Experiment")
  void run(ExperimentRequest request);

  /** Readable in Temporal UI: {@code experiment/<org>/<experiment id>}. */
  static String workflowId(String orgCode, String experimentId) {
    return "experiment/" + orgCode + "/" + experimentId;
  }
}
