package io.durableflows.api.gateway;

/** The run's workflow ended in failure; {@code failureType} is the failing node's failure type when known. */
public class RunFailedException extends RuntimeException {
  private final String failureType;

  public RunFailedException(String failureType, String message) {
    super(message, null, false, false);
    this.failureType = failureType;
  }

  public String failureType() {
    return failureType;
  }
}
