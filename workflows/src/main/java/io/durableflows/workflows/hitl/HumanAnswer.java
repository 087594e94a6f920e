package io.durableflows.workflows.hitl;

import java.util.Map;

/**
 * A person's answer to a {@link HumanRequest}: {@code action} is approve, deny or cancel for approvals (approve
 * may carry {@code modifiedArguments} for a tool call) and answer for questions (with {@code answer}).
 * {@code responderId} is the token that answered, {@code responderName} who the person says they are.
 * {@code submittedAtMillis} is when the API took the answer: a signalled answer the run reads only later (its
 * workers were down) still counts as given in time.
 */
public record HumanAnswer(
    String requestId,
    String action,
    String comment,
    Map<String, Object> modifiedArguments,
    Object answer,
    String responderId,
    String responderName,
    Long submittedAtMillis) {

  public HumanAnswer(String requestId, String action, String comment, Map<String, Object> modifiedArguments,
      Object answer, String responderId, String responderName) {
    this(requestId, action, comment, modifiedArguments, answer, responderId, responderName, null);
  }

  public static final String APPROVE = "approve";
  public static final String DENY = "deny";
  public static final String CANCEL = "cancel";
  public static final String ANSWER = "answer";
}
