package io.durableflows.workflows.tools;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A tool tried once from the API (the agent tools dry-run route): one {@code ToolDryRun} activity, no retries,
 * nothing written to PostgreSQL. The tool's own failure is a result ({@code ok: false}), not a failed workflow.
 */
@WorkflowInterface
public interface ToolDryRunWorkflow {
  @WorkflowMethod(name = "ToolDryRun")
  ToolDryRunResult run(ToolDryRunRequest request);
}
