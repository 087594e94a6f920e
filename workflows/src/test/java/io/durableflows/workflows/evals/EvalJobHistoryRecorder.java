package io.durableflows.workflows.evals;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.run.FlowRunWorkflowImpl;
import io.durableflows.workflows.run.UpdateFailureConverter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Records the eval job history {@link EvalJobReplayTest} replays: an exact evaluator that passes, one that errors,
 * and an evaluation flow run as a child. A tool, not a test; run it as {@code run.HistoryRecorder} says, with this
 * class, after an intended change to the job's command sequence.
 */
public final class EvalJobHistoryRecorder {
  static final String JOB_ID = "evj_recorded";

  private EvalJobHistoryRecorder() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "src/test/resources/histories/evals/eval-job.json");
    Files.createDirectories(file.getParent());
    var options = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setIdentity("history-recorder")
            .setDataConverter(UpdateFailureConverter.dataConverter()).build())
        .setUseTimeskipping(false)
        .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(EvalJobWorkflowImpl.class, FlowRunWorkflowImpl.class);
      worker.registerActivitiesImplementations(new EvalStubs.Evaluator(), new EvalStubs.Store(),
          new EvalStubs.Judge(), new EvalStubs.RunStore());
      env.start();
      String workflowId = EvalJobWorkflow.workflowId("acme", JOB_ID);
      WorkflowClient client = env.getWorkflowClient();
      client.newWorkflowStub(EvalJobWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId).build())
          .run(EvalStubs.request(JOB_ID, List.of(
              new EvalSelection(EvalStubs.EXACT, Map.of("expected", "4")),
              new EvalSelection(EvalStubs.BROKEN, null),
              new EvalSelection(EvalStubs.GRADER, Map.of("expected", "4")))));
      Files.writeString(file, client.fetchHistory(workflowId).toJson(true) + "\n");
      System.out.println("wrote " + file);
    }
  }
}
