package io.durableflows.api.runs;

/**
 * A synchronous run paused for a person: the request is answered 202 with the run and what it waits for, instead
 * of holding the connection for hours.
 */
public class RunWaitingException extends RuntimeException {
  private final String runId;

  public RunWaitingException(String runId) {
    super("run " + runId + " waits for a person", null, false, false);
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
