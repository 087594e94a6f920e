package io.durableflows.workflows.run;

import java.util.List;

/**
 * A child run that could not start or did not complete. Thrown by {@link ChildRuns} in workflow code: a node
 * turns it into its own failure, an agent loop into a tool error message for the model.
 */
public final class ChildRunFailure extends RuntimeException {
  /** No flow with that slug in the organization, or no such release. */
  public static final String NOT_FOUND = "SubflowNotFound";
  /** The input does not match the child flow's input schema. */
  public static final String INVALID_INPUT = "InvalidSubflowInput";
  /** Child runs nested deeper than {@link ChildRuns#MAX_DEPTH} (a flow that runs itself, say). */
  public static final String TOO_DEEP = "SubflowTooDeep";
  /** The child run failed; the message carries its node's failure. */
  public static final String FAILED = "SubflowFailed";
  /** The child run was cancelled on its own (not by cancelling this run). */
  public static final String CANCELLED = "SubflowCancelled";
  /** What the prepare activity fails with for good (a retry cannot change the answer). */
  public static final List<String> NON_RETRYABLE = List.of(NOT_FOUND, INVALID_INPUT, TOO_DEEP);

  private final String type;
  private final String childRunId;
  private final String flow;

  public ChildRunFailure(String type, String childRunId, String flow, String message) {
    super(message, null, false, false);
    this.type = type;
    this.childRunId = childRunId;
    this.flow = flow;
  }

  public String type() {
    return type;
  }

  public String childRunId() {
    return childRunId;
  }

  public String flow() {
    return flow;
  }
}
