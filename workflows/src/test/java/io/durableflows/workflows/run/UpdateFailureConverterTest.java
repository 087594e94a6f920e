package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Why workers install {@link UpdateFailureConverter}: without it, Temporal SDK 1.38.0 hands callers the update
 * validator's failure under the type of its own internal wrapper. When the first test fails after an SDK upgrade,
 * the SDK has the fix (temporalio/sdk-java#3001) and the converter can go.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpdateFailureConverterTest {
  private static final String SDK_WRAPPER = "io.temporal.internal.worker.WorkflowExecutionException";

  /** The failure the caller sees when the run refuses an answer to a request it does not have. */
  private static ApplicationFailure refusalSeenByTheCaller(DataConverter workerConverter) throws Exception {
    var options = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(workerConverter).build())
        .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
      worker.registerActivitiesImplementations(new HistoryRecorder.NoopStore());
      env.start();
      var flow = TestFlows.example("approval-demo");
      FlowRunWorkflow workflow = env.getWorkflowClient().newWorkflowStub(FlowRunWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId("run/acme/approval-demo/r-conv")
              .build());
      WorkflowClient.start(workflow::run,
          new RunRequest("r-conv", "acme", flow.slug(), "draft", flow, Map.of("question", "Why?")));
      while (workflow.pending().isEmpty()) Thread.sleep(10);
      var refused = catchThrowableOfType(WorkflowUpdateException.class, () -> workflow.respond(
          new HumanAnswer("apr_unknown", HumanAnswer.APPROVE, null, null, null, null, null)));
      assertThat(refused.getCause()).isInstanceOf(ApplicationFailure.class);
      return (ApplicationFailure) refused.getCause();
    }
  }

  @Test
  void validatorFailure_withTheSdkDefaultConverter_arrivesUnderTheSdkWrapperType() throws Exception {
    ApplicationFailure failure = refusalSeenByTheCaller(DefaultDataConverter.newDefaultInstance());

    assertThat(failure.getType()).as("SDK 1.38.0 behaviour; if this fails, drop UpdateFailureConverter")
        .isEqualTo(SDK_WRAPPER);
  }

  @Test
  void validatorFailure_withUpdateFailureConverter_keepsItsTypeMessageAndNonRetryability() throws Exception {
    ApplicationFailure failure = refusalSeenByTheCaller(UpdateFailureConverter.dataConverter());

    assertThat(failure.getType()).isEqualTo(HitlFailures.REQUEST_NOT_FOUND);
    assertThat(failure.getOriginalMessage()).isEqualTo("this run has no request apr_unknown");
    assertThat(failure.isNonRetryable()).isTrue();
  }
}
