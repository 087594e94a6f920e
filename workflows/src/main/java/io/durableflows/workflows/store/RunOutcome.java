package io.durableflows.workflows.store;

import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.memory.ConversationTurn;
import java.util.List;

/**
 * The final state of a run as the run workflow reports it to PostgreSQL, with its whole event log so readers
 * can replay it once the workflow is gone. {@code turn} (null: none) is what a completed run of a session adds to
 * its conversation, written in the same transaction as the outcome.
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
    List<RunEvent> events,
    ConversationTurn turn) {

  public RunOutcome(String runId, String status, Object output, String text, Usage usage, double costUsd,
      String errorType, String errorMessage, List<LlmCallRecord> llmCalls, List<RunEvent> events) {
    this(runId, status, output, text, usage, costUsd, errorType, errorMessage, llmCalls, events, null);
  }

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
}
