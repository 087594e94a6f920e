package io.durableflows.activities.llm;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.temporal.client.WorkflowClient;
import java.util.Optional;

/** Signals deltas into the run workflow: the workflow's event log is the stream's only source of truth. */
public final class WorkflowDeltaSink implements DeltaSink {
  private final WorkflowClient client;

  public WorkflowDeltaSink(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void send(String workflowId, DeltaBatch batch) {
    client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
        .signal(FlowRunWorkflow.DELTAS_SIGNAL, batch);
  }
}
