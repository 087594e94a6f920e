package io.durableflows.workflows.tools;

import java.util.List;

/** Typed failures of tool activities; the retry policy names the non-retryable ones. */
public final class ToolFailures {
  /** The arguments do not match the tool's schema or make no sense to it (e.g. a malformed expression). */
  public static final String INVALID_ARGUMENTS = "InvalidToolArguments";
  /** No worker tool has this name. */
  public static final String UNKNOWN_TOOL = "UnknownTool";
  /** The tool ran and reported an error that retrying will not change (division by zero, no such path). */
  public static final String TOOL_ERROR = "ToolError";

  public static final List<String> NON_RETRYABLE = List.of(INVALID_ARGUMENTS, UNKNOWN_TOOL, TOOL_ERROR);

  private ToolFailures() {}
}
