package io.durableflows.workflows.context;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One {@code BuildContext} activity, so the API renders and preloads blocks through Temporal (retried, visible in
 * Temporal UI) without depending on activity code.
 */
@WorkflowInterface
public interface ContextWorkflow {
  @WorkflowMethod(name = "BuildContext")
  ContextBlocks build(ContextRequest request);

  /** Readable in Temporal UI: {@code context/<org>/<what>/<unique>}. */
  static String workflowId(String orgCode, String what, String unique) {
    return "context/" + orgCode + "/" + what + "/" + unique;
  }
}
