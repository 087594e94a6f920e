package io.durableflows.workflows.llm;

/** What a model answered, which provider and model actually served it, and what it cost. */
public record LlmReply(
    String text, String provider, String model, String finishReason, Usage usage, double costUsd, long durationMs) {}
