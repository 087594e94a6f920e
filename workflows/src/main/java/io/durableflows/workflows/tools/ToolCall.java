package io.durableflows.workflows.tools;

import java.util.Map;

/**
 * One tool call of a run. {@code idempotencyKey} is the same for every attempt of the call, so the call's effect
 * and result are recorded once however often Temporal retries it.
 */
public record ToolCall(String runId, String nodeId, String tool, Map<String, Object> arguments,
    String idempotencyKey) {}
