package io.durableflows.api.gateway;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalJobResult;
import io.durableflows.workflows.evals.EvalJobWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/** Starts eval jobs and waits for them. */
@Component
public class EvalJobGateway {
  private final WorkflowClient client;

  public EvalJobGateway(WorkflowClient client) {
    this.client = client;
  }

  /** Starts the job's workflow; false when it was already started (its id is the job's, never reused). */
  public boolean start(EvalJobRequest request) {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(EvalJobWorkflow.workflowId(request.orgCode(), request.jobId()))
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary("org **" + request.orgCode() + "** · eval job · flow **" + request.flowSlug() + "** · "
            + request.evaluations().size() + " evaluations")
        .setStaticDetails("run `" + request.runId() + "`")
        .build();
    try {
      WorkflowClient.start(client.newWorkflowStub(EvalJobWorkflow.class, options)::run, request);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * The job's result, or empty when it did not finish within {@code timeout} (it keeps going).
   *
   * @throws RunUnreachableException when the job's workflow failed or Temporal could not be asked
   */
  public Optional<EvalJobResult> await(String orgCode, String jobId, Duration timeout) {
    WorkflowStub stub = client.newUntypedWorkflowStub(EvalJobWorkflow.workflowId(orgCode, jobId), Optional.empty(),
        Optional.empty());
    try {
      return Optional.of(stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, EvalJobResult.class));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (WorkflowException | io.grpc.StatusRuntimeException e) {
      throw new RunUnreachableException("eval job " + jobId + " could not be awaited: " + e.getMessage());
    }
  }
}
