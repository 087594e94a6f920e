package io.durableflows.workflows.hitl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * A run asking a person: an approval (of an {@code approval} node, or of a tool call with {@code tool} and its
 * proposed {@code arguments}) or a question ({@code answerType} text, choice or json). Ids are {@code apr_…} or
 * {@code qst_…}. {@code expiresAtMillis} is null when the request waits for as long as it takes; when it passes,
 * an approval takes {@code timeoutDecision} and a question {@code timeoutAnswer} (or fails the run without one).
 */
public record HumanRequest(
    String id,
    String kind,
    String nodeId,
    String message,
    Object context,
    String tool,
    Map<String, Object> arguments,
    Map<String, Object> argumentsSchema,
    String reason,
    String answerType,
    List<String> choices,
    Map<String, Object> answerSchema,
    String timeoutDecision,
    Object timeoutAnswer,
    long createdAtMillis,
    Long expiresAtMillis) {

  public static final String APPROVAL = "approval";
  public static final String QUESTION = "question";

  @JsonIgnore
  public boolean isApproval() {
    return APPROVAL.equals(kind);
  }

  @JsonIgnore
  public boolean isToolCall() {
    return tool != null;
  }

  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis != null && nowMillis >= expiresAtMillis;
  }
}
