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
    Long durationMs) {

  public static final String RUNNING = "running";
  public static final String LOST = "lost";
}
