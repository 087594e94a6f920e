package io.durableflows.api.gateway;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.experiments.ExperimentRequest;
import io.durableflows.workflows.experiments.ExperimentWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import org.springframework.stereotype.Component;

/** Starts and cancels experiments ({@link ExperimentWorkflow}); their progress and results are read from PostgreSQL. */
@Component
public class ExperimentGateway {
  private final WorkflowClient client;

  public ExperimentGateway(WorkflowClient client) {
    this.client = client;
  }

  /** Starts the experiment's workflow (a new experiment's id, never reused). */
  public void start(ExperimentRequest request, String datasetId) {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(ExperimentWorkflow.workflowId(request.orgCode(), request.experimentId()))
        .setTaskQueue(TaskQueues.FLOWS)
        .setStaticSummary("experiment · org **" + request.orgCode() + "** · flow **" + request.flowSlug()
            + "** · version **" + request.version() + "** · dataset `" + datasetId + "` (" + request.total()
            + " rows)")
        .setStaticDetails("experiment `" + request.experimentId() + "`")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build();
    ExperimentWorkflow workflow = client.newWorkflowStub(ExperimentWorkflow.class, options);
    WorkflowClient.start(workflow::run, request);
  }
}
