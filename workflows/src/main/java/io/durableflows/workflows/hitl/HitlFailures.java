package io.durableflows.workflows.hitl;

/**
 * Why the run refused an answer (failure types of the {@code Respond} update's validator): the API maps each to
 * its status code.
 */
public final class HitlFailures {
  /** The run has no request with this id (404). */
  public static final String REQUEST_NOT_FOUND = "RequestNotFound";
  /** It was already answered or cancelled (409). */
  public static final String ALREADY_RESOLVED = "AlreadyResolved";
  /** Its time ran out; the run took the timeout decision (410). */
  public static final String REQUEST_EXPIRED = "RequestExpired";
  /** The answer does not fit the request: wrong action, a choice not offered, arguments breaking the schema (400). */
  public static final String INVALID_ANSWER = "InvalidAnswer";

  private HitlFailures() {}
}
