package io.durableflows.workflows.run;

/** Failure types a run workflow ends with. */
public final class RunFailures {
  /** A node failed for good (after its activity's retries); the cause carries the node's failure type. */
  public static final String NODE_FAILED = "NodeFailed";

  private RunFailures() {}
}
