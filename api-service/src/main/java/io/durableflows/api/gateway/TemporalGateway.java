package io.durableflows.api.gateway;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.batches.BatchPlan;
import io.durableflows.workflows.batches.BatchWorkflow;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummarizeWorkflow;
import io.durableflows.workflows.memory.SummaryRequest;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunFailures;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.durableflows.workflows.tools.ToolDryRunRequest;
import io.durableflows.workflows.tools.ToolDryRunResult;
import io.durableflows.workflows.tools.ToolDryRunWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** The API's only door to Temporal: start runs, wait for them, look them up, answer and cancel them. */
@Component
@EnableConfigurationProperties(TemporalProperties.class)
public class TemporalGateway {
  private static final Logger log = LoggerFactory.getLogger(TemporalGateway.class);
  private static final java.util.Set<String> REFUSALS = java.util.Set.of(HitlFailures.REQUEST_NOT_FOUND,
      HitlFailures.ALREADY_RESOLVED, HitlFailures.REQUEST_EXPIRED, HitlFailures.INVALID_ANSWER);
  static final SearchAttributeKey<String> ORG = SearchAttributeKey.forKeyword("DfOrg");
  static final SearchAttributeKey<String> FLOW = SearchAttributeKey.forKeyword("DfFlow");
  static final SearchAttributeKey<String> VERSION = SearchAttributeKey.forKeyword("DfVersion");
  private final WorkflowClient client;
  private final TemporalProperties properties;

  public TemporalGateway(WorkflowClient client, TemporalProperties properties) {
    this.client = client;
    this.properties = properties;
  }

  /**
   * Starts the run's workflow. A workflow id is never reused (a run's id names it), so starting a run twice, as
   * a retried idempotent request may, starts it once: false when it was already started.
   */
  public boolean start(String workflowId, RunRequest request) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.FLOWS)
        .setStaticSummary("org **" + request.orgCode() + "** · flow **" + request.flowSlug() + "** · version **"
            + request.version() + "**")
        .setStaticDetails("run `" + request.runId() + "`")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        // When this process also hosts the workers, the first workflow task comes back with the start call.
        .setDisableEagerExecution(false);
    if (properties.searchAttributes()) {
      options.setTypedSearchAttributes(SearchAttributes.newBuilder()
          .set(ORG, request.orgCode()).set(FLOW, request.flowSlug()).set(VERSION, request.version()).build());
    }
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, options.build());
    try {
      WorkflowClient.start(workflow::run, request);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * Starts a batch's workflow ({@code batch/<org>/<batchId>}); it runs its shards as child workflows.
   *
   * @throws RunUnreachableException when Temporal could not be asked
   */
  public void startBatch(BatchPlan plan, String summary) {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(BatchWorkflow.workflowId(plan.orgCode(), plan.batchId()))
        .setTaskQueue(TaskQueues.FLOWS)
        .setStaticSummary(summary)
        .setStaticDetails("batch `" + plan.batchId() + "` · " + plan.total() + " items")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build();
    BatchWorkflow workflow = client.newWorkflowStub(BatchWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, plan);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // A batch id is new per request: started already means this very batch.
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not start batch " + plan.batchId());
    }
  }

  /**
   * Hands a person's answer to the waiting run as the {@code Respond} update: the run validates it (a refusal
   * throws {@link AnswerRefusedException} and changes nothing) and completes the update once it has recorded it.
   * When the run's workers do not take it within {@code timeout} (none running?), the answer is also sent as the
   * {@code Answer} signal, which the run applies whenever it next runs, and the result is empty.
   *
   * @throws RunNotWaitingException when the workflow has ended
   * @throws RunUnreachableException when Temporal could not be asked
   */
  public Optional<HumanResolution> respond(String workflowId, HumanAnswer answer, Duration timeout) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty());
    UpdateOptions<HumanResolution> options = UpdateOptions.newBuilder(HumanResolution.class)
        .setUpdateName(FlowRunWorkflow.RESPOND_UPDATE)
        .setUpdateId("answer/" + answer.requestId() + "/" + UUID.randomUUID())
        .setWaitForStage(WorkflowUpdateStage.COMPLETED)
        .build();
    CompletableFuture<HumanResolution> update = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().name("respond " + answer.requestId()).start(() -> {
      try {
        update.complete(stub.startUpdate(options, answer).getResult());
      } catch (RuntimeException e) {
        update.completeExceptionally(e);
      }
    });
    try {
      return Optional.of(update.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      // Stop waiting for the update (the SDK would poll until a worker takes it); the signal is durable at once.
      caller.interrupt();
      log.warn("run workflow {} did not take the answer to {} within {}; sending it as a signal", workflowId,
          answer.requestId(), timeout);
      signalAnswer(workflowId, answer);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunUnreachableException("interrupted while the run took the answer");
    } catch (ExecutionException e) {
      throw answerFailure(workflowId, e.getCause());
    }
  }

  /**
   * The answer as the {@code Answer} signal: recorded in the run's history at once and applied when the run next
   * runs, even if no worker is up now; an answer the run refuses then is noted in its event log.
   */
  public void signalAnswer(String workflowId, HumanAnswer answer) {
    try {
      client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
          .signal(FlowRunWorkflow.ANSWER_SIGNAL, answer);
    } catch (RuntimeException e) {
      throw answerFailure(workflowId, e);
    }
  }

  private static RuntimeException answerFailure(String workflowId, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // The run's own refusals carry one of its failure types; any other failure of an update (say the run was
      // cancelled after it took the answer) means nobody is waiting for it any more.
      if (t instanceof ApplicationFailure af && REFUSALS.contains(af.getType())) {
        return new AnswerRefusedException(af.getType(), af.getOriginalMessage());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WorkflowUpdateException || t instanceof WorkflowNotFoundException
          || t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new RunNotWaitingException("the run is no longer waiting for this answer");
      }
    }
    log.warn("answering run workflow {} failed", workflowId, e);
    return new RunUnreachableException("Temporal did not take the answer for run workflow " + workflowId);
  }


  /**
   * Waits for the run's result.
   *
   * @throws TimeoutException when it is still running after {@code timeout}
   * @throws RunFailedException when it failed or was cancelled ({@link RunFailedException#cancelled()})
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
      if (e.getCause() instanceof CanceledFailure) {
        throw new RunFailedException(RunFailedException.CANCELLED, "the run was cancelled");
      }
      String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      throw new RunFailedException(null, "the run's workflow did not complete: " + message);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not answer for run workflow " + workflowId);
    }
  }

  /**
   * Runs one summarising or titling model call (a conversation's compress and title routes) as a small workflow
   * of its own, and waits for its answer. A failed call throws {@link RunFailedException} with the activity's
   * failure type.
   *
   * @throws TimeoutException when it takes longer than {@code timeout} (the workflow keeps going)
   */
  public Summary summarize(String workflowId, SummaryRequest request, Duration timeout) throws TimeoutException {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.FLOWS)
        .setStaticSummary(request.kind() + " of " + request.messages().size() + " messages")
        .setWorkflowExecutionTimeout(Duration.ofMinutes(10))
        .build();
    SummarizeWorkflow workflow = client.newWorkflowStub(SummarizeWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::summarize, request);
      return WorkflowStub.fromTyped(workflow).getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, Summary.class);
    } catch (WorkflowFailedException e) {
      ApplicationFailure cause = null;
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ApplicationFailure af) cause = af;
      }
      throw new RunFailedException(cause == null ? null : cause.getType(),
          cause == null ? String.valueOf(e.getMessage()) : cause.getOriginalMessage());
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not answer for workflow " + workflowId);
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

  /**
   * Asks a workflow to stop: a run's model call stops at its next heartbeat, an experiment or batch cancels its
   * children first. False when the workflow is gone.
   */
  public boolean cancel(String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty()).cancel();
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  /**
   * Runs a tool once through the workers ({@link ToolDryRunWorkflow}: one activity, no retries, nothing written to
   * PostgreSQL) and waits for its result; the tool's own failure comes back as {@code ok: false}.
   *
   * @throws RunUnreachableException when Temporal could not be asked or no worker ran it in time
   */
  public ToolDryRunResult dryRunTool(ToolDryRunRequest request) {
    Duration budget = Duration.ofMillis(Math.min(request.timeoutMs(), ToolDryRunRequest.MAX_TIMEOUT_MS));
    Duration wait = budget.plusSeconds(10);
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId("tool-dry-run/" + request.orgId() + "/" + UUID.randomUUID())
        .setTaskQueue(TaskQueues.FLOWS)
        .setWorkflowExecutionTimeout(wait)
        .setStaticSummary("dry run of tool **" + request.definition().name() + "**")
        .setDisableEagerExecution(false)
        .build();
    ToolDryRunWorkflow workflow = client.newWorkflowStub(ToolDryRunWorkflow.class, options);
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    try {
      stub.start(request);
      return stub.getResult(wait.toMillis(), TimeUnit.MILLISECONDS, ToolDryRunResult.class);
    } catch (TimeoutException e) {
      throw new RunUnreachableException("no worker ran the tool dry run within " + wait.toSeconds() + " s");
    } catch (WorkflowFailedException e) {
      String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      return ToolDryRunResult.failure("DryRunFailed", message, 0);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new RunUnreachableException("Temporal did not answer the tool dry run");
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
