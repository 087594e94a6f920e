package io.durableflows.workflows.llm;

import java.util.List;

/**
 * One model call made by an {@code llm} node. A null provider or model means the worker's configured default;
 * {@code stream} makes the activity signal its deltas to the run workflow (see {@code DeltaBatch}).
 * {@code idempotencyKey} is the same for every attempt of this call: a retry of a call whose answer was already
 * recorded returns that answer instead of asking (and paying) the model again. {@code history} (null: none) is
 * sent between the system prompt and the prompt: earlier turns of the conversation, e.g. from a memory node.
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
    boolean stream,
    String idempotencyKey,
    List<ChatMessage> history) {

  public LlmCall(String runId, String nodeId, String provider, String model, String systemPrompt, String prompt,
      Double temperature, Integer maxTokens, boolean stream, String idempotencyKey) {
    this(runId, nodeId, provider, model, systemPrompt, prompt, temperature, maxTokens, stream, idempotencyKey, null);
  }

  public LlmCall(String runId, String nodeId, String provider, String model, String systemPrompt, String prompt,
      Double temperature, Integer maxTokens, boolean stream) {
    this(runId, nodeId, provider, model, systemPrompt, prompt, temperature, maxTokens, stream, null, null);
  }
}
