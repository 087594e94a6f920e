package io.durableflows.workflows.store;

import io.durableflows.workflows.llm.Usage;

/**
 * One model call of a run, persisted for usage and cost accounting, with the activity execution that made it
 * and the call's idempotency key.
 */
public record LlmCallRecord(
    String nodeId, String provider, String model, Usage usage, double costUsd, long durationMs, String activityId,
    int attempt, String idempotencyKey) {

  public LlmCallRecord(String nodeId, String provider, String model, Usage usage, double costUsd, long durationMs) {
    this(nodeId, provider, model, usage, costUsd, durationMs, null, 0, null);
  }
}
