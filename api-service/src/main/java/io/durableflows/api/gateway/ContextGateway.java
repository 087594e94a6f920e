package io.durableflows.api.gateway;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextRequest;
import io.durableflows.workflows.context.ContextWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Renders skills and prompt/context blocks through Temporal: one short {@code BuildContext} workflow per request
 * (its activity reads PostgreSQL and renders dynamic blocks), so the API never runs worker code itself.
 */
@Component
public class ContextGateway {
  private static final Logger log = LoggerFactory.getLogger(ContextGateway.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final WorkflowClient client;

  public ContextGateway(WorkflowClient client) {
    this.client = client;
  }

  /** {@code what} names the request in the workflow id (e.g. {@code build/my-agent}). */
  public ContextBlocks build(ContextRequest request, String what) {
    String workflowId = ContextWorkflow.workflowId(request.orgCode(), what, UUID.randomUUID().toString());
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowExecutionTimeout(TIMEOUT)
        .setStaticSummary("org **" + request.orgCode() + "** · " + (request.mode() == ContextRequest.Mode.PRELOAD
            ? "preload" : "build") + " context · " + what)
        .build();
    ContextWorkflow workflow = client.newWorkflowStub(ContextWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::build, request);
      return WorkflowStub.fromTyped(workflow).getResult(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS,
          ContextBlocks.class);
    } catch (TimeoutException e) {
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "context_timeout",
          "rendering the blocks took longer than " + TIMEOUT.toSeconds() + " s");
    } catch (WorkflowException e) {
      log.warn("context workflow {} failed", workflowId, e);
      throw new ApiException(HttpStatus.BAD_GATEWAY, "context_failed",
          "rendering the blocks failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    } catch (StatusRuntimeException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable", "Temporal is not reachable");
    }
  }
}
