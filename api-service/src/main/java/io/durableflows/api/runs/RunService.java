package io.durableflows.api.runs;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.gateway.RunFailedException;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.support.Ids;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InvalidFlowException;
import io.durableflows.workflows.flow.Overrides;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Starts runs as Temporal workflows and waits for them; every run API dialect goes through here. */
@Service
public class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private final FlowService flows;
  private final RunRepository runs;
  /** How often a synchronous wait looks whether the run now waits for a person. */
  private static final Duration WAITING_CHECK = Duration.ofSeconds(1);
  private static final String CANCELLED = "cancelled";
  private final TemporalGateway temporal;
  private final IdempotencyKeys keys;
  private final TransactionTemplate tx;
  private final Duration syncTimeout;
  private final Duration idempotencyTtl;

  public RunService(FlowService flows, RunRepository runs, TemporalGateway temporal, IdempotencyKeys keys,
      TransactionTemplate tx, @Value("${df.runs.sync-timeout:300s}") Duration syncTimeout,
      @Value("${df.runs.idempotency-ttl:24h}") Duration idempotencyTtl) {
    this.flows = flows;
    this.runs = runs;
    this.temporal = temporal;
    this.keys = keys;
    this.tx = tx;
    this.syncTimeout = syncTimeout;
    this.idempotencyTtl = idempotencyTtl;
  }

  /**
   * What to run. {@code version} null means latest release (or the draft); {@code overrides} use 001's
   * {@code node/<id>.<property>} keys; {@code channel} names the API dialect that started the run; {@code stream}
   * makes model calls publish their deltas (a streaming client is waiting for them).
   */
  public record RunCommand(String flowRef, String version, Map<String, Object> input, Map<String, Object> metadata,
      Map<String, Object> overrides, String flowSessionId, String channel, boolean stream, boolean background) {

    public RunCommand(String flowRef, String version, Map<String, Object> input, Map<String, Object> metadata,
        Map<String, Object> overrides, String flowSessionId, String channel) {
      this(flowRef, version, input, metadata, overrides, flowSessionId, channel, false, false);
    }

    public RunCommand(String flowRef, String version, Map<String, Object> input, Map<String, Object> metadata,
        Map<String, Object> overrides, String flowSessionId, String channel, boolean stream) {
      this(flowRef, version, input, metadata, overrides, flowSessionId, channel, stream, false);
    }

    /** The same run, with model deltas sent to the event log as they arrive. */
    public RunCommand streamed() {
      return new RunCommand(flowRef, version, input, metadata, overrides, flowSessionId, channel, true, background);
    }

    /** The same run, started for a caller who does not wait (a background task). */
    public RunCommand inBackground() {
      return new RunCommand(flowRef, version, input, metadata, overrides, flowSessionId, channel, stream, true);
    }
  }

  /** A finished run: its id and its result ({@link #record} reads the rest from PostgreSQL when needed). */
  public record CompletedRun(String runId, RunResult result) {}

  public CompletedRun runAndWait(Caller caller, RunCommand command, Idempotency idempotency) {
    caller.require("runs:write");
    ResolvedFlow flow = flows.resolve(caller.orgId(), command.flowRef(), command.version());
    return runAndWait(caller, flow, command, idempotency);
  }

  /** A run that passed validation and has an id, not yet recorded or started. */
  public record PreparedRun(String runId, String workflowId, ResolvedFlow flow, RunCommand command,
      FlowDefinition definition, Map<String, Object> input) {

    /** The same run under the id an earlier request with the same Idempotency-Key gave it. */
    PreparedRun as(String existingRunId, String existingWorkflowId) {
      return new PreparedRun(existingRunId, existingWorkflowId, flow, command, definition, input);
    }
  }

  /**
   * A run whose workflow has started; {@code replayed} when an earlier request with the same Idempotency-Key
   * started it and this one only found it.
   */
  public record StartedRun(String runId, String workflowId, boolean replayed) {
    public StartedRun(String runId, String workflowId) {
      this(runId, workflowId, false);
    }
  }

  /** Validates overrides and input and names the run; changes nothing. */
  public PreparedRun prepare(Caller caller, ResolvedFlow flow, RunCommand command) {
    caller.require("runs:write");
    FlowDefinition definition;
    Map<String, Object> input;
    try {
      definition = Overrides.apply(flow.definition(), command.overrides());
    } catch (InvalidFlowException e) {
      throw ApiException.invalid("invalid_override", e.getMessage(), e.errors());
    }
    try {
      input = InputSchema.of(definition).validate(command.input());
    } catch (InvalidFlowException e) {
      throw ApiException.invalid("invalid_input", e.getMessage(), e.errors());
    }
    String runId = Ids.newId("run");
    return new PreparedRun(runId, FlowRunWorkflow.workflowId(caller.orgCode(), flow.slug(), runId), flow, command,
        definition, input);
  }

  /**
   * Records the run and starts its workflow, or, when {@code idempotency} names a key an earlier request used,
   * returns the run that request started (422 when it asked something else). Key and run row are written in one
   * transaction, and a run is started under a workflow id Temporal never reuses, so a retry racing the first
   * request, or following a crash between the two writes, starts the run at most once.
   */
  public StartedRun launch(Caller caller, PreparedRun run, Idempotency idempotency) {
    if (idempotency != null) {
      Optional<IdempotencyKeys.Claim> earlier = tx.execute(status -> {
        Optional<IdempotencyKeys.Claim> claim = keys.claim(caller.orgId(), idempotency, run.runId(), idempotencyTtl);
        if (claim.isEmpty()) insert(caller, run);
        return claim;
      });
      if (earlier.isPresent()) return replay(caller, run, idempotency, earlier.get());
    } else {
      insert(caller, run);
    }
    startWorkflow(caller, run, idempotency);
    return new StartedRun(run.runId(), run.workflowId());
  }

  private void insert(Caller caller, PreparedRun run) {
    ResolvedFlow flow = run.flow();
    RunCommand command = run.command();
    runs.insert(new RunRepository.NewRun(run.runId(), caller.orgId(), flow.projectId(), flow.flowId(), flow.slug(),
        flow.releaseId(), flow.version(), flow.flowHistoryId(), command.flowSessionId(), command.channel(),
        run.input(), command.metadata(), run.workflowId(), command.background()));
  }

  private void startWorkflow(Caller caller, PreparedRun run, Idempotency idempotency) {
    ResolvedFlow flow = run.flow();
    try {
      temporal.start(run.workflowId(), new RunRequest(run.runId(), caller.orgCode(), flow.slug(), flow.version(),
          run.definition(), run.input(), run.command().stream(), run.command().flowSessionId()));
    } catch (RuntimeException e) {
      log.warn("run {}: starting workflow {} failed", run.runId(), run.workflowId(), e);
      runs.markStartFailed(run.runId(), "could not start the run's workflow (" + e.getClass().getSimpleName() + ")");
      if (idempotency != null) keys.release(caller.orgId(), idempotency, run.runId());
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "the run could not be started: Temporal is not reachable", Map.of("run_id", run.runId()));
    }
    // A cancel that came between recording the run and starting it found no workflow and ended the run in
    // PostgreSQL only: the workflow it could not see must not run (and overwrite "cancelled" with its outcome).
    if (CANCELLED.equals(runs.statusOf(run.runId()).orElse(null))) {
      try {
        temporal.cancel(run.workflowId());
      } catch (RuntimeException e) {
        log.warn("run {}: cancelled before its workflow started, and stopping that workflow failed", run.runId(), e);
      }
    }
  }

  /**
   * The run an earlier request with the same key started. If that request died between recording the run and
   * starting it, this one starts it (Temporal refuses a second start of the same workflow id, so two retries
   * racing here still start it once).
   */
  private StartedRun replay(Caller caller, PreparedRun run, Idempotency idempotency, IdempotencyKeys.Claim claim) {
    if (!claim.requestHash().equals(idempotency.requestHash())) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
          "Idempotency-Key '" + idempotency.key() + "' was used for a different request (run " + claim.runId()
              + "); use a new key for a new request", Map.of("run_id", claim.runId()));
    }
    RunRecord existing = runs.find(caller.orgId(), claim.runId())
        .orElseThrow(() -> ApiException.notFound("run '" + claim.runId() + "'"));
    if (existing.active() && temporal.status(existing.workflowId()).isEmpty()) {
      startWorkflow(caller, run.as(existing.id(), existing.workflowId()), null);
    }
    return new StartedRun(existing.id(), existing.workflowId(), true);
  }

  /**
   * The run an earlier request with this key started, if any, without claiming anything: lets a route skip work
   * that only a new run needs (a credit hold, say). 422 when the key was used for another request.
   */
  public Optional<StartedRun> earlier(Caller caller, PreparedRun run, Idempotency idempotency) {
    if (idempotency == null) return Optional.empty();
    return keys.find(caller.orgId(), idempotency.key(), idempotencyTtl)
        .map(claim -> replay(caller, run, idempotency, claim));
  }

  /** Starts a run in the background (or finds the one its Idempotency-Key started): what 202 answers point to. */
  public RunRecord startInBackground(Caller caller, ResolvedFlow flow, RunCommand command, Idempotency idempotency) {
    StartedRun started = launch(caller, prepare(caller, flow, command.inBackground()), idempotency);
    return record(caller, started.runId());
  }

  /** Starts a run and waits for it, as {@link #await} does; a retry with the same key waits for the same run. */
  public CompletedRun runAndWait(Caller caller, ResolvedFlow flow, RunCommand command, Idempotency idempotency) {
    return await(launch(caller, prepare(caller, flow, command), idempotency));
  }

  /**
   * Waits up to the sync timeout for a started run: 504 when it is still running, 502 when its model provider
   * failed, 409 when it was cancelled, 500 when it failed otherwise, 503 when Temporal does not answer; each with
   * the run id. A run that pauses for a person ends the wait at once ({@link RunWaitingException}, answered 202):
   * approvals take hours.
   */
  public CompletedRun await(StartedRun started) {
    String runId = started.runId();
    String workflowId = started.workflowId();
    RunResult result;
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          result = temporal.await(workflowId, Duration.ofNanos(Math.max(1, Math.min(left, WAITING_CHECK.toNanos()))));
          break;
        } catch (TimeoutException e) {
          if (RunRecord.WAITING.equals(runs.statusOf(runId).orElse(null))) {
            throw new RunWaitingException(runId);
          }
          if (System.nanoTime() >= deadline) throw e;
        }
      }
    } catch (TimeoutException e) {
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "run_timeout",
          "the run did not finish within " + syncTimeout.toSeconds() + " s; it keeps going: poll status_url",
          stillRunning(runId));
    } catch (RunUnreachableException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "Temporal did not answer while waiting for the run; it may still complete: poll status_url",
          stillRunning(runId));
    } catch (RunFailedException e) {
      if (e.cancelled()) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("run_id", runId);
        extra.put("status", "cancelled");
        extra.put("status_url", "/api/v1/runs/" + runId);
        throw new ApiException(HttpStatus.CONFLICT, "cancelled",
            "the run was cancelled before it finished; what it produced so far is at status_url", extra);
      }
      boolean provider = e.failureType() != null && LlmFailures.ALL.contains(e.failureType());
      throw new ApiException(provider ? HttpStatus.BAD_GATEWAY : HttpStatus.INTERNAL_SERVER_ERROR,
          provider ? "provider_error" : "run_failed", e.getMessage(), Map.of("run_id", runId));
    }
    return new CompletedRun(runId, result);
  }

  private static Map<String, Object> stillRunning(String runId) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("run_id", runId);
    extra.put("status", RunRecord.RUNNING);
    extra.put("status_url", "/api/v1/runs/" + runId);
    return extra;
  }

  /** The stored record of a run this caller started: timings, session, version. */
  public RunRecord record(Caller caller, CompletedRun run) {
    return record(caller, run.runId());
  }

  public RunRecord record(Caller caller, String runId) {
    return record(caller.orgId(), runId);
  }

  public RunRecord record(String orgId, String runId) {
    return runs.find(orgId, runId).orElseThrow();
  }
}
