package io.durableflows.workflows.run;

import io.durableflows.workflows.llm.Usage;
import java.util.List;
import java.util.Map;

/**
 * What a completed run produced: {@code output} is the output node's body (a string for {@code raw}, a JSON
 * object otherwise); {@code text} is the assistant text the output is built from.
 */
public record RunResult(
    String runId,
    String shape,
    Object output,
    String text,
    String model,
    Usage usage,
    double costUsd,
    List<Map<String, Object>> steps) {}
