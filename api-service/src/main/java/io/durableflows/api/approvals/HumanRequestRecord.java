package io.durableflows.api.approvals;

import io.durableflows.workflows.hitl.HumanRequest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** An approval or question as PostgreSQL lists it (the run's workflow wrote it and stays the truth). */
record HumanRequestRecord(
    String id,
    String orgId,
    String runId,
    String flowId,
    String flowSlug,
    String nodeId,
    String kind,
    String tool,
    String message,
    Object context,
    Map<String, Object> arguments,
    Map<String, Object> argumentsSchema,
    String reason,
    String answerType,
    List<String> choices,
    Map<String, Object> answerSchema,
    String timeoutDecision,
    Object timeoutAnswer,
    String status,
    String decision,
    Object answer,
    Map<String, Object> finalArguments,
    boolean argumentsModified,
    String comment,
    String responderId,
    String responderName,
    OffsetDateTime createdAt,
    OffsetDateTime expiresAt,
    OffsetDateTime resolvedAt,
    Long waitMs) {

  static final String PENDING = "pending";

  boolean pending() {
    return PENDING.equals(status);
  }

  /** Cancelled with nobody answering: its run ended (or the sweep found it ended) while it waited. */
  boolean closedByRunEnd() {
    return "cancelled".equals(status) && responderId == null;
  }

  /** The request as the workflow holds it, so the API can explain a refusal with the workflow's own rules. */
  HumanRequest toRequest() {
    return new HumanRequest(id, kind, nodeId, message, context, tool, arguments, argumentsSchema, reason, answerType,
        choices, answerSchema, timeoutDecision, timeoutAnswer, createdAt.toInstant().toEpochMilli(),
        expiresAt == null ? null : expiresAt.toInstant().toEpochMilli());
  }
}
