package io.durableflows.workflows.batches;

import io.durableflows.workflows.llm.Usage;

/**
 * How one item of a flow batch ended: {@code completed} with the run's output, or {@code failed} with an error code
 * and message. Recorded only while the item is pending, so recording it twice changes nothing.
 */
public record ItemOutcome(
    String batchId, int idx, String runId, String status, Object output, String error, String message, Usage usage,
    double costUsd) {}
