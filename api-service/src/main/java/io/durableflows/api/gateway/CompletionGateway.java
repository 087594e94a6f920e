package io.durableflows.api.gateway;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.completions.CompletionRequest;
import io.durableflows.workflows.completions.CompletionResults;
import io.durableflows.workflows.completions.CompletionWorkflow;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Runs synchronous completions through Temporal: one {@code Completions} workflow per request, each item its own
 * retryable activity, the caller waiting for the results.
 */
@Component
public class CompletionGateway {
  private static final Logger log = LoggerFactory.getLogger(CompletionGateway.class);
  /** Long enough for 50 items of a slow provider with retries; the workflow is bounded by the same time. */
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final WorkflowClient client;

  public CompletionGateway(WorkflowClient client) {
    this.client = client;
  }

  public CompletionResults complete(CompletionRequest request) {
    String workflowId = CompletionWorkflow.workflowId(request.orgCode(), request.operation(),
        UUID.randomUUID().toString());
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowExecutionTimeout(TIMEOUT)
        .setStaticSummary("org **" + request.orgCode() + "** · " + request.operation() + " · "
            + request.items().size() + (request.items().size() == 1 ? " item" : " items"))
        .build();
    CompletionWorkflow workflow = client.newWorkflowStub(CompletionWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::complete, request);
      return WorkflowStub.fromTyped(workflow).getResult(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS,
          CompletionResults.class);
    } catch (TimeoutException e) {
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "completion_timeout",
          "the items took longer than " + TIMEOUT.toMinutes() + " minutes; use POST /api/v1/batches for long work");
    } catch (WorkflowException e) {
      log.warn("completion workflow {} failed", workflowId, e);
      throw new ApiException(HttpStatus.BAD_GATEWAY, "completion_failed",
          "the completion failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    } catch (StatusRuntimeException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable", "Temporal is not reachable");
    }
  }
}
