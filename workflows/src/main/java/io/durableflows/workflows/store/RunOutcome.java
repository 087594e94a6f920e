package io.durableflows.workflows.store;

import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.llm.Usage;
import java.util.List;

/**
 * The final state of a run as the run workflow reports it to PostgreSQL, with its whole event log so readers
 * can replay it once the workflow is gone.
 */
public record RunOutcome(
    String runId,
    String status,
    Object output,
    String text,
    Usage usage,
    double costUsd,
    String errorType,
    String errorMessage,
    List<LlmCallRecord> llmCalls,
    List<RunEvent> events) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
}
