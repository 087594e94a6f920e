package io.durableflows.api.gateway;

/** Temporal could not be asked how the run ended; the run itself may well go on. */
public class RunUnreachableException extends RuntimeException {
  public RunUnreachableException(String message) {
    super(message, null, false, false);
  }
}
