package io.durableflows.workflows.tools;

/** What a dry run found: the tool's output, or the failure's type ({@link ToolFailures}) and message. */
public record ToolDryRunResult(boolean ok, Object output, String text, long durationMs, String error,
    String message) {
  public static ToolDryRunResult success(ToolResult result) {
    return new ToolDryRunResult(true, result.output(), result.text(), result.durationMs(), null, null);
  }

  public static ToolDryRunResult failure(String error, String message, long durationMs) {
    return new ToolDryRunResult(false, null, null, durationMs, error, message);
  }
}
