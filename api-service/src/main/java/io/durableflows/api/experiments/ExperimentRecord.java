package io.durableflows.api.experiments;

import io.durableflows.workflows.evals.EvaluatorSpec;
import java.time.OffsetDateTime;
import java.util.List;

/** A stored experiment: what it runs (a release snapshot over a dataset, with evaluators) and where it stands. */
record ExperimentRecord(
    String id, String orgId, String name, String flowId, String flowSlug, String releaseId, String version,
    String datasetId, List<EvaluatorSpec> evaluators, int concurrency, int total, String status, String workflowId,
    String errorMessage, OffsetDateTime createdAt, OffsetDateTime finishedAt) {

  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String CANCELLED = "cancelled";
  static final String FAILED = "failed";
  /** Its workflow is gone (the in-memory Temporal server of the embedded default was restarted). */
  static final String LOST = "lost";

  boolean running() {
    return RUNNING.equals(status);
  }
}
