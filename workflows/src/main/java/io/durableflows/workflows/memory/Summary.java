package io.durableflows.workflows.memory;

import io.durableflows.workflows.llm.Usage;

/** What a summarising (or titling) model call answered, and what it cost. */
public record Summary(String text, String provider, String model, Usage usage, double costUsd) {}
