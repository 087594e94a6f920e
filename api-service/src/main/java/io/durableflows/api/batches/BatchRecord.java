package io.durableflows.api.batches;

import java.time.OffsetDateTime;
import java.util.Map;

/** A batch's row ({@code batches}, migration V9). */
record BatchRecord(String id, String orgId, String kind, String flowSlug, String version, String operation,
    Map<String, Object> options, String provider, String model, String fileId, int total, int concurrency,
    String status, String workflowId, Map<String, Object> metadata, String errorMessage, OffsetDateTime createdAt,
    OffsetDateTime startedAt, OffsetDateTime finishedAt) {

  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String CANCELLED = "cancelled";
  static final String FAILED = "failed";

  boolean finished() {
    return COMPLETED.equals(status) || CANCELLED.equals(status) || FAILED.equals(status);
  }
}
