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

  /** The tool's definition cannot be run as written (an HTTP tool's URL or template is not usable). */
  public static final String INVALID_DEFINITION = "InvalidToolDefinition";
  /** An HTTP tool's endpoint answered 4xx (not 408 or 429): the same request will get the same answer. */
  public static final String HTTP_TOOL_ERROR = "HttpToolError";
  /** An HTTP tool's endpoint answered 408, 429 or 5xx, timed out or could not be reached: retried with backoff. */
  public static final String HTTP_TOOL_UNAVAILABLE = "HttpToolUnavailable";
  /** The SSRF guard refused the address (loopback, private, link-local, metadata...) or the scheme. */
  public static final String TOOL_BLOCKED = "ToolBlocked";
  /** A {@code {{secrets.NAME}}} the tool uses is not stored for the run's org (or cannot be decrypted). */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";

  public static final List<String> NON_RETRYABLE = List.of(INVALID_ARGUMENTS, UNKNOWN_TOOL, TOOL_ERROR,
      INVALID_DEFINITION, HTTP_TOOL_ERROR, TOOL_BLOCKED, SECRET_NOT_FOUND);

  private ToolFailures() {}
}
