package io.durableflows.workflows.tools;

import java.util.Map;

/**
 * One tool call of a run. {@code idempotencyKey} is the same for every attempt of the call, so the call's effect
 * and result are recorded once however often Temporal retries it. {@code definition} is the tool as the flow
 * defines it (null for a built-in named by {@code tool}, as in histories recorded before tools had definitions).
 */
public record ToolCall(String runId, String nodeId, String tool, Map<String, Object> arguments,
    String idempotencyKey, ToolDefinition definition) {
  public ToolCall(String runId, String nodeId, String tool, Map<String, Object> arguments, String idempotencyKey) {
    this(runId, nodeId, tool, arguments, idempotencyKey, null);
  }

  public ToolCall withArguments(Map<String, Object> newArguments) {
    return new ToolCall(runId, nodeId, tool, newArguments, idempotencyKey, definition);
  }
}
