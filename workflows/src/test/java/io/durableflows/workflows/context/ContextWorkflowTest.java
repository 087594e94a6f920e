package io.durableflows.workflows.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextWorkflowTest {
  private TestWorkflowEnvironment env;
  private final ContextActivities activities = mock(ContextActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(ContextWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ContextWorkflow workflow() {
    return env.getWorkflowClient().newWorkflowStub(ContextWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(ContextWorkflow.workflowId("acme", "build/helper", "1")).build());
  }

  @Test
  void build_returnsWhatTheActivityRendered() {
    ContextBlocks rendered = new ContextBlocks("<skill name=\"triage\">\nx\n</skill>",
        List.of(new ContextBlocks.Block("triage", "skill", "skill", "x", "none", false, null)));
    when(activities.build(any())).thenReturn(rendered);

    ContextBlocks result = workflow().build(ContextRequest.build("acme", null, List.of("triage"), null, null));

    assertThat(result).isEqualTo(rendered);
  }

  @Test
  void build_retriesATransientFailure() {
    when(activities.build(any())).thenThrow(new IllegalStateException("database hiccup"))
        .thenReturn(ContextBlocks.EMPTY);

    assertThat(workflow().build(ContextRequest.build("acme", null, List.of("triage"), null, null)))
        .isEqualTo(ContextBlocks.EMPTY);
    verify(activities, times(2)).build(any());
  }

  @Test
  void build_doesNotRetryANonRetryableFailure() {
    when(activities.build(any())).thenThrow(ApplicationFailure.newNonRetryableFailure("no org", "UnknownOrg"));

    assertThatThrownBy(() -> workflow().build(ContextRequest.build("nope", null, List.of("x"), null, null)))
        .isInstanceOf(WorkflowFailedException.class);
    verify(activities, times(1)).build(any());
  }
}
