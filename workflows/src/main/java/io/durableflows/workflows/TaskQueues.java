package io.durableflows.workflows;

/** Task queue names shared by the API (starting runs) and the workers (polling them). */
public final class TaskQueues {
  public static final String FLOWS = "durable-flows";

  private TaskQueues() {}
}
