package io.durableflows.workflows.tools;

import java.util.Map;

/**
 * One trial call of a tool, outside any run: the org whose secrets it may use, the tool, its arguments, and the
 * budget (the response is cut at {@code maxResponseBytes}; the call gives up after {@code timeoutMs}).
 */
public record ToolDryRunRequest(String orgId, ToolDefinition definition, Map<String, Object> arguments,
    int maxResponseBytes, long timeoutMs) {
  /** The most a dry run waits. */
  public static final long MAX_TIMEOUT_MS = 15_000;
  /** The most of a response a dry run reads. */
  public static final int MAX_RESPONSE_BYTES = 256 * 1024;
}
