package io.durableflows.activities.tools;

import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;

/** One built-in tool. {@link #run} is only called with arguments that match the spec's schema. */
interface Tool {
  ToolSpec spec();

  Output run(Map<String, Object> arguments);

  /** {@code output} is plain JSON-able data (maps, lists, strings, numbers) so Temporal and Postgres carry it as is. */
  record Output(Object output, String text) {}

  /** The arguments make no sense to the tool: the model has to write them differently. */
  static ApplicationFailure invalidArguments(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ToolFailures.INVALID_ARGUMENTS);
  }

  /** The tool ran into an error that the same arguments will always meet. */
  static ApplicationFailure toolError(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ToolFailures.TOOL_ERROR);
  }
}
