package io.durableflows.api.runs;

import java.time.OffsetDateTime;
import java.util.Map;

/** A run as PostgreSQL records it. */
public record RunRecord(
    String id,
    String orgId,
    String projectId,
    String flowId,
    String flowSlug,
    String releaseId,
    String version,
    String flowHistoryId,
    String flowSessionId,
    String channel,
    String status,
    Map<String, Object> input,
    Map<String, Object> metadata,
    Object output,
    String outputText,
    long promptTokens,
    long completionTokens,
    long totalTokens,
    double costUsd,
    String errorType,
    String errorMessage,
    String workflowId,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    Long durationMs,
    boolean background) {

  public static final String RUNNING = "running";
  /** Paused until a person answers an approval or a question. */
  public static final String WAITING = "waiting";
  public static final String LOST = "lost";

  /** Running or waiting: the run's workflow is (or should be) alive. */
  public boolean active() {
    return isActive(status);
  }

  public static boolean isActive(String status) {
    return RUNNING.equals(status) || WAITING.equals(status);
  }
}
