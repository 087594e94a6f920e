package io.durableflows.api.approvals;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.hitl.HumanAnswer;
import java.util.Map;

/** Reads answer bodies: {@code {decision, comment, modified_arguments, responder}} or {@code {answer, ...}}. */
final class Answers {
  private Answers() {}

  @SuppressWarnings("unchecked")
  static HumanAnswer approval(Map<String, Object> body) {
    Object decision = body.get("decision");
    String action = switch (decision instanceof String s ? s : "") {
      case "approve", "approved" -> HumanAnswer.APPROVE;
      case "deny", "denied" -> HumanAnswer.DENY;
      default -> throw ApiException.badRequest("invalid_request", "decision is required: \"approve\" or \"deny\"");
    };
    Object modified = body.get("modified_arguments");
    if (modified != null && !(modified instanceof Map)) {
      throw ApiException.badRequest("invalid_request", "modified_arguments must be an object: the tool's arguments");
    }
    return new HumanAnswer(null, action, comment(body), (Map<String, Object>) modified, null, null,
        responder(body));
  }

  static HumanAnswer question(Map<String, Object> body) {
    if (body.get("answer") == null) {
      throw ApiException.badRequest("invalid_request", "answer is required");
    }
    return new HumanAnswer(null, HumanAnswer.ANSWER, comment(body), null, body.get("answer"), null, responder(body));
  }

  static HumanAnswer cancel(Map<String, Object> body) {
    return new HumanAnswer(null, HumanAnswer.CANCEL, body == null ? null : comment(body), null, null, null,
        body == null ? null : responder(body));
  }

  private static String comment(Map<String, Object> body) {
    Object comment = body.get("comment");
    if (comment != null && !(comment instanceof String)) {
      throw ApiException.badRequest("invalid_request", "comment must be a string");
    }
    return (String) comment;
  }

  private static String responder(Map<String, Object> body) {
    Object responder = body.get("responder");
    if (responder == null) return null;
    if (!(responder instanceof String s) || s.isBlank() || s.length() > 200) {
      throw ApiException.badRequest("invalid_request", "responder must be a name of 1 to 200 characters");
    }
    return s.strip();
  }
}
