package io.durableflows.workflows.events;

/**
 * Text a streaming model call produced since its previous batch. {@code attempt} is the activity attempt and
 * {@code batch} counts from 1 within it, so the workflow drops a batch it has seen and batches of an attempt
 * that a newer one has replaced.
 */
public record DeltaBatch(String nodeId, int attempt, int batch, String text) {}
