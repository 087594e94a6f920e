package io.durableflows.api.gateway;

/** The run refused an answer; {@code failureType} is one of {@code HitlFailures}. */
public class AnswerRefusedException extends RuntimeException {
  private final String failureType;

  public AnswerRefusedException(String failureType, String message) {
    super(message, null, false, false);
    this.failureType = failureType;
  }

  public String failureType() {
    return failureType;
  }
}
