package io.durableflows.api.gateway;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunFailures;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** The API's only door to Temporal: start runs, wait for them, look them up. */
@Component
@EnableConfigurationProperties(TemporalProperties.class)
public class TemporalGateway {
  static final SearchAttributeKey<String> ORG = SearchAttributeKey.forKeyword("DfOrg");
  static final SearchAttributeKey<String> FLOW = SearchAttributeKey.forKeyword("DfFlow");
  static final SearchAttributeKey<String> VERSION = SearchAttributeKey.forKeyword("DfVersion");
  private final WorkflowClient client;
  private final TemporalProperties properties;

  public TemporalGateway(WorkflowClient client, TemporalProperties properties) {
    this.client = client;
    this.properties = properties;
  }

  public void start(String workflowId, RunRequest request) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.FLOWS)
        .setStaticSummary("org **" + request.orgCode() + "** · flow **" + request.flowSlug() + "** · version **"
            + request.version() + "**")
        .setStaticDetails("run `" + request.runId() + "`")
        // When this process also hosts the workers, the first workflow task comes back with the start call.
        .setDisableEagerExecution(false);
    if (properties.searchAttributes()) {
      options.setTypedSearchAttributes(SearchAttributes.newBuilder()
          .set(ORG, request.orgCode()).set(FLOW, request.flowSlug()).set(VERSION, request.version()).build());
    }
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, options.build());
    WorkflowClient.start(workflow::run, request);
  }

  /**
   * Waits for the run's result.
   *
   * @throws TimeoutException when it is still running after {@code timeout}
   * @throws RunFailedException when it failed
   * @throws RunUnreachableException when Temporal could not be asked
   */
  public RunResult await(String workflowId, Duration timeout) throws TimeoutException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty());
    try {
      return stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, RunResult.class);
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof ApplicationFailure af && RunFailures.NODE_FAILED.equals(af.getType())) {
        String nodeType = af.getDetails().getSize() == 0 ? null : af.getDetails().get(String.class);
        throw new RunFailedException(nodeType, af.getOriginalMessage());
      }
      String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      throw new RunFailedException(null, "the run's workflow did not complete: " + message);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not answer for run workflow " + workflowId);
    }
  }

  /** The workflow's status, or empty when the server does not know it (e.g. a restarted test server). */
  public Optional<WorkflowExecutionStatus> status(String workflowId) {
    try {
      var description = client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty()).describe();
      return Optional.of(description.getWorkflowExecutionInfo().getStatus());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) return Optional.empty();
      throw e;
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The run's events after {@code afterSeq}, read by query (no history events, whatever the number of readers);
   * empty when Temporal no longer knows the workflow.
   *
   * @throws RunUnreachableException when Temporal could not be asked
   */
  public Optional<EventPage> events(String workflowId, long afterSeq) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
          .query(FlowRunWorkflow.EVENTS_QUERY, EventPage.class, afterSeq));
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not answer the events query of " + workflowId);
    }
  }

  /** Asks the run to stop; its model call stops at its next heartbeat. False when the workflow is gone. */
  public boolean cancel(String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty()).cancel();
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  /** Whether the Temporal frontend answers. */
  public boolean ping() {
    try {
      client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public String uiLink(String workflowId) {
    if (properties.uiUrl() == null || properties.uiUrl().isBlank()) return null;
    return properties.uiUrl().replaceAll("/+$", "") + "/namespaces/" + properties.namespace() + "/workflows/"
        + URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
  }
}
