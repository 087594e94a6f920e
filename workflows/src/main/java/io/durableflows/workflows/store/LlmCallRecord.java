package io.durableflows.workflows.store;

import io.durableflows.workflows.llm.Usage;

/** One model call of a run, persisted for usage and cost accounting. */
public record LlmCallRecord(
    String nodeId, String provider, String model, Usage usage, double costUsd, long durationMs) {}
