package io.durableflows.api.gateway;

/** The run's workflow ended in failure; {@code failureType} is the failing node's failure type when known. */
public class RunFailedException extends RuntimeException {
  /** The failure type of a run that was cancelled (by the cancel routes or a client that went away). */
  public static final String CANCELLED = "cancelled";
  private final String failureType;

  public RunFailedException(String failureType, String message) {
    super(message, null, false, false);
    this.failureType = failureType;
  }

  public String failureType() {
    return failureType;
  }

  public boolean cancelled() {
    return CANCELLED.equals(failureType);
  }
}
