package io.durableflows.workflows.tools;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ToolActivities {
  /**
   * Runs the tool once per idempotency key: a retry of a call that already ran returns the recorded result.
   * Fails with an {@code ApplicationFailure} whose type is one of {@link ToolFailures}.
   */
  @ActivityMethod(name = "ToolCall")
  ToolResult call(ToolCall call);
}
