package io.durableflows.workflows.run;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

@WorkflowInterface
public interface FlowRunWorkflow {
  /** Runs the flow to its output node. Fails with type {@link RunFailures#NODE_FAILED} when a node fails. */
  @WorkflowMethod(name = "FlowRun")
  RunResult run(RunRequest request);

  /** Readable in Temporal UI and unique per run. */
  static String workflowId(String orgCode, String flowSlug, String runId) {
    return "run/" + orgCode + "/" + flowSlug + "/" + runId;
  }
}
