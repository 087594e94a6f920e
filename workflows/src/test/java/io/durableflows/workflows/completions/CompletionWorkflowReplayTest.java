package io.durableflows.workflows.completions;

import io.durableflows.workflows.Replays;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded {@code Completions} history (five summarize items, two at a time, one refused by the
 * provider): any change to the workflow's command sequence must keep it replaying or go behind
 * {@code Workflow.getVersion}. {@link #main} re-records it; only do that after such a versioned change.
 */
class CompletionWorkflowReplayTest {
  private static final String HISTORY = "histories/completions/completions-per-item-failure.json";

  @Test
  void replay_withRecordedHistory_issuesTheSameCommands() throws Exception {
    try (InputStream in = CompletionWorkflowReplayTest.class.getResourceAsStream("/" + HISTORY)) {
      Replays.replay(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          CompletionWorkflowImpl.class);
    }
  }

  /** Records the history into src/test/resources (run from the workflows module with the test classpath). */
  public static void main(String[] args) throws IOException {
    CompletionActivities activities = mock(CompletionActivities.class, withSettings().withoutAnnotations());
    when(activities.complete(any())).thenAnswer(inv -> CompletionWorkflowTest.answer(inv.getArgument(0)));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(CompletionWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
      env.start();
      String id = CompletionWorkflow.workflowId("acme", CompletionOperations.SUMMARIZE, "recorded");
      env.getWorkflowClient().newWorkflowStub(CompletionWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(id).build())
          .complete(new CompletionRequest("acme", CompletionOperations.SUMMARIZE, Map.of(),
              List.of("a", "b", "c", "d", "e"), null, null, 2));
      Files.writeString(Path.of("src/test/resources/" + HISTORY),
          env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }
}
