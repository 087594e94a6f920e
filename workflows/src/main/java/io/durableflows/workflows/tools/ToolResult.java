package io.durableflows.workflows.tools;

/**
 * What a tool returned: {@code output} as JSON-able data and {@code text} as the model or a template reads it.
 * {@code activityId} and {@code attempt} name the activity execution that produced it; {@code recorded} is true
 * when an earlier attempt had already done the work and this one returned its recorded result.
 */
public record ToolResult(Object output, String text, long durationMs, String activityId, int attempt,
    boolean recorded) {}
