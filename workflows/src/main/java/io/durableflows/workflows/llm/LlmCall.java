package io.durableflows.workflows.llm;

/**
 * One model call made by an {@code llm} node. A null provider or model means the worker's configured default;
 * {@code stream} makes the activity signal its deltas to the run workflow (see {@code DeltaBatch}).
 */
public record LlmCall(
    String runId,
    String nodeId,
    String provider,
    String model,
    String systemPrompt,
    String prompt,
    Double temperature,
    Integer maxTokens,
    boolean stream) {}
