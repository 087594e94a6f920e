package io.durableflows.workflows.run;

import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The event-log view of a run's requests to people: what every stream shows while the run waits. */
final class HumanEvents {
  private HumanEvents() {}

  static Map<String, Object> requested(HumanRequest r) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (r.isApproval()) {
      data.put("approval_id", r.id());
      data.put("message", r.message());
      if (r.context() != null) data.put("context", r.context());
      if (r.isToolCall()) {
        data.put("tool", r.tool());
        data.put("arguments", r.arguments());
        data.put("reason", r.reason());
      }
      data.put("timeout_decision", r.timeoutDecision());
      data.put("respond_url", "/api/v1/approvals/" + r.id() + "/respond");
    } else {
      data.put("question_id", r.id());
      data.put("question", r.message());
      data.put("answer_type", r.answerType());
      if (r.choices() != null) data.put("choices", r.choices());
      if (r.answerSchema() != null) data.put("schema", r.answerSchema());
      data.put("respond_url", "/api/v1/questions/" + r.id() + "/respond");
    }
    data.put("created_at", iso(r.createdAtMillis()));
    data.put("expires_at", r.expiresAtMillis() == null ? null : iso(r.expiresAtMillis()));
    return data;
  }

  static Map<String, Object> resolved(HumanResolution r) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(HumanRequest.APPROVAL.equals(r.kind()) ? "approval_id" : "question_id", r.requestId());
    data.put("status", r.status());
    if (r.decision() != null) data.put("decision", r.decision());
    if (HumanRequest.QUESTION.equals(r.kind())) data.put("answer", r.answer());
    if (r.argumentsModified()) data.put("arguments", r.arguments());
    data.put("comment", r.comment());
    data.put("responder", r.responderName());
    data.put("waited_ms", r.waitedMs());
    return data;
  }

  static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
