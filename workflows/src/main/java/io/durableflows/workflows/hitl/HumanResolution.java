package io.durableflows.workflows.hitl;

import java.util.Map;

/**
 * How a {@link HumanRequest} ended: {@code status} approved, denied, answered, expired or cancelled;
 * {@code decision} approve or deny for approvals (an expired one takes its timeout decision, a cancelled one is
 * denied); {@code arguments} are the tool arguments the run goes on with (the approver's, when modified).
 */
public record HumanResolution(
    String requestId,
    String kind,
    String status,
    String decision,
    Object answer,
    Map<String, Object> arguments,
    boolean argumentsModified,
    String comment,
    String responderId,
    String responderName,
    long resolvedAtMillis,
    long waitedMs) {

  public static final String APPROVED = "approved";
  public static final String DENIED = "denied";
  public static final String ANSWERED = "answered";
  public static final String EXPIRED = "expired";
  public static final String CANCELLED = "cancelled";

  public boolean approved() {
    return HumanAnswer.APPROVE.equals(decision);
  }
}
