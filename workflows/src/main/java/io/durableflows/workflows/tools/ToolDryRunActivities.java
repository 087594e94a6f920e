package io.durableflows.workflows.tools;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ToolDryRunActivities {
  /**
   * Runs the tool once within the request's budget, journaling nothing (a dry run has no run). Fails as
   * {@link ToolActivities#call} does.
   */
  @ActivityMethod(name = "ToolDryRun")
  ToolResult dryRun(ToolDryRunRequest request);
}
