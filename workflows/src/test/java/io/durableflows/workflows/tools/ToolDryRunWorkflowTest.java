package io.durableflows.workflows.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolDryRunWorkflowTest {
  private static final String QUEUE = "dry-run-test";
  private final ToolDryRunActivities activities = mock(ToolDryRunActivities.class, withSettings().withoutAnnotations());
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ToolDryRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ToolDryRunResult run() {
    ToolDryRunRequest request = new ToolDryRunRequest("org_1", ToolDefinition.parse("calculator"),
        Map.of("expression", "1+1"), ToolDryRunRequest.MAX_RESPONSE_BYTES, 5_000);
    return env.getWorkflowClient().newWorkflowStub(ToolDryRunWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build()).run(request);
  }

  @Test
  void success_returnsTheToolsOutput() {
    when(activities.dryRun(any())).thenReturn(new ToolResult(Map.of("result", 2), "2", 3, "1", 1, false));

    ToolDryRunResult result = run();

    assertThat(result.ok()).isTrue();
    assertThat(result.text()).isEqualTo("2");
    assertThat(result.output()).isEqualTo(Map.of("result", 2));
  }

  @Test
  void aRetryableFailure_isNotRetried_andComesBackAsOkFalseWithItsType() {
    when(activities.dryRun(any())).thenThrow(
        ApplicationFailure.newFailure("GET http://x/ answered 503", ToolFailures.HTTP_TOOL_UNAVAILABLE));

    ToolDryRunResult result = run();

    assertThat(result.ok()).isFalse();
    assertThat(result.error()).isEqualTo(ToolFailures.HTTP_TOOL_UNAVAILABLE);
    assertThat(result.message()).isEqualTo("GET http://x/ answered 503");
    verify(activities, times(1)).dryRun(any());
  }
}
