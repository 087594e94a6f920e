package io.durableflows.api.approvals;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of approvals and questions. */
final class HumanRequestViews {
  private HumanRequestViews() {}

  static Map<String, Object> of(HumanRequestRecord r) {
    return "question".equals(r.kind()) ? question(r) : approval(r);
  }

  static Map<String, Object> approval(HumanRequestRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("kind", r.tool() == null ? "approval" : "tool_call");
    out.put("status", r.status());
    out.put("run_id", r.runId());
    out.put("flow", r.flowSlug());
    out.put("node", r.nodeId());
    out.put("message", r.message());
    out.put("context", r.context());
    out.put("tool", r.tool());
    out.put("arguments", r.arguments());
    out.put("arguments_schema", r.argumentsSchema());
    out.put("reason", r.reason());
    out.put("timeout_decision", r.timeoutDecision());
    out.put("decision", r.decision());
    out.put("comment", r.comment());
    out.put("final_arguments", r.finalArguments());
    out.put("arguments_modified", r.argumentsModified());
    common(r, out);
    out.put("respond_url", "/api/v1/approvals/" + r.id() + "/respond");
    return out;
  }

  static Map<String, Object> question(HumanRequestRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("kind", "question");
    out.put("status", r.status());
    out.put("run_id", r.runId());
    out.put("flow", r.flowSlug());
    out.put("node", r.nodeId());
    out.put("question", r.message());
    out.put("answer_type", r.answerType());
    out.put("choices", r.choices());
    out.put("schema", r.answerSchema());
    out.put("timeout_answer", r.timeoutAnswer());
    out.put("answer", r.answer());
    out.put("comment", r.comment());
    common(r, out);
    out.put("respond_url", "/api/v1/questions/" + r.id() + "/respond");
    return out;
  }

  private static void common(HumanRequestRecord r, Map<String, Object> out) {
    Map<String, Object> responder = null;
    if (r.responderId() != null || r.responderName() != null) {
      responder = new LinkedHashMap<>();
      responder.put("name", r.responderName());
      responder.put("token_id", r.responderId());
    }
    out.put("responder", responder);
    out.put("created_at", r.createdAt());
    out.put("expires_at", r.expiresAt());
    out.put("resolved_at", r.resolvedAt());
    out.put("wait_ms", r.waitMs());
    out.put("run_url", "/api/v1/runs/" + r.runId());
  }
}
