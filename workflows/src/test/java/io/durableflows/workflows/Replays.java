package io.durableflows.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;

/**
 * Replays a recorded history against workflow code, as {@link WorkflowReplayer} does, but with a longer deadlock
 * detection timeout: the first replay in a JVM loads the workflow's classes inside a workflow thread, and on a
 * loaded 2-core machine that has taken longer than the default second, failing the replay with a
 * PotentialDeadlockException that says nothing about determinism.
 */
public final class Replays {
  private static final long DEADLOCK_DETECTION_MS = 10_000;

  private Replays() {}

  public static void replay(WorkflowExecutionHistory history, Class<?> workflowClass) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      String taskQueue = history.getEvents().getFirst()
          .getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName();
      Worker worker = env.newWorker(taskQueue,
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_MS).build());
      worker.registerWorkflowImplementationTypes(workflowClass);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  public static void replay(String jsonHistory, Class<?> workflowClass) throws Exception {
    replay(WorkflowExecutionHistory.fromJson(jsonHistory), workflowClass);
  }
}
