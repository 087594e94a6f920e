package io.durableflows.api.gateway;

/** The run's workflow has ended (or is unknown to Temporal): nobody is waiting for the answer any more. */
public class RunNotWaitingException extends RuntimeException {
  public RunNotWaitingException(String message) {
    super(message, null, false, false);
  }
}
