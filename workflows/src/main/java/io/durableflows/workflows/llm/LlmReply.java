package io.durableflows.workflows.llm;

/**
 * What a model answered, which provider and model actually served it, and what it cost. {@code activityId} and
 * {@code attempt} name the activity execution that asked the model; {@code recorded} is true when an earlier
 * attempt had the answer already and this one returned it from the call journal.
 */
public record LlmReply(
    String text, String provider, String model, String finishReason, Usage usage, double costUsd, long durationMs,
    String activityId, int attempt, boolean recorded) {

  public LlmReply(
      String text, String provider, String model, String finishReason, Usage usage, double costUsd, long durationMs) {
    this(text, provider, model, finishReason, usage, costUsd, durationMs, null, 0, false);
  }
}
