package io.durableflows.workflows.batches;

/** Item error codes of batches (completion operations add theirs, see {@code CompletionFailures}). */
public final class BatchFailures {
  /** The item's run failed (a node failed, or the run was cancelled on its own). */
  public static final String RUN_FAILED = "run_failed";
  /** The item does not match the flow's input schema, or its run could not be prepared. */
  public static final String INVALID_INPUT = "invalid_input";
  /** Every attempt of the item's chunk failed (a worker crashed each time, timeouts...). */
  public static final String ATTEMPTS_EXHAUSTED = "attempts_exhausted";

  private BatchFailures() {}
}
