package io.durableflows.workflows.llm;

import java.util.List;

/**
 * One model turn of an agent: the conversation so far and the tools the model may call. As with {@link LlmCall},
 * a null provider or model means the worker's default, {@code stream} sends deltas to the run, and
 * {@code idempotencyKey} is the same for every attempt of this turn.
 */
public record LlmChatCall(
    String runId,
    String nodeId,
    String provider,
    String model,
    List<ChatMessage> messages,
    List<ToolFunction> tools,
    Double temperature,
    Integer maxTokens,
    boolean stream,
    String idempotencyKey) {

  public LlmChatCall {
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
