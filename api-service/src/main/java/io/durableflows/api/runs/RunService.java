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
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Starts runs as Temporal workflows and waits for them; every run API dialect goes through here. */
@Service
public class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private final FlowService flows;
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final Duration syncTimeout;

  public RunService(FlowService flows, RunRepository runs, TemporalGateway temporal,
      @Value("${df.runs.sync-timeout:300s}") Duration syncTimeout) {
    this.flows = flows;
    this.runs = runs;
    this.temporal = temporal;
    this.syncTimeout = syncTimeout;
  }

  /**
   * What to run. {@code version} null means latest release (or the draft); {@code overrides} use 001's
   * {@code node/<id>.<property>} keys; {@code channel} names the API dialect that started the run; {@code stream}
   * makes model calls publish their deltas (a streaming client is waiting for them).
   */
  public record RunCommand(String flowRef, String version, Map<String, Object> input, Map<String, Object> metadata,
      Map<String, Object> overrides, String flowSessionId, String channel, boolean stream) {

    public RunCommand(String flowRef, String version, Map<String, Object> input, Map<String, Object> metadata,
        Map<String, Object> overrides, String flowSessionId, String channel) {
      this(flowRef, version, input, metadata, overrides, flowSessionId, channel, false);
    }

    /** The same run, with model deltas sent to the event log as they arrive. */
    public RunCommand streamed() {
      return new RunCommand(flowRef, version, input, metadata, overrides, flowSessionId, channel, true);
    }
  }

  /** A finished run: its id and its result ({@link #record} reads the rest from PostgreSQL when needed). */
  public record CompletedRun(String runId, RunResult result) {}

  public CompletedRun runAndWait(Caller caller, RunCommand command) {
    caller.require("runs:write");
    ResolvedFlow flow = flows.resolve(caller.orgId(), command.flowRef(), command.version());
    return runAndWait(caller, flow, command);
  }

  /** A run that passed validation and has an id, not yet recorded or started. */
  public record PreparedRun(String runId, String workflowId, ResolvedFlow flow, RunCommand command,
      FlowDefinition definition, Map<String, Object> input) {}

  /** A run whose workflow has started. */
  public record StartedRun(String runId, String workflowId) {}

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

  /** Records the run and starts its workflow; 503 (with the run id) when Temporal does not take it. */
  public StartedRun launch(Caller caller, PreparedRun run) {
    ResolvedFlow flow = run.flow();
    RunCommand command = run.command();
    runs.insert(new RunRepository.NewRun(run.runId(), caller.orgId(), flow.projectId(), flow.flowId(), flow.slug(),
        flow.releaseId(), flow.version(), flow.flowHistoryId(), command.flowSessionId(), command.channel(),
        run.input(), command.metadata(), run.workflowId()));
    try {
      temporal.start(run.workflowId(), new RunRequest(run.runId(), caller.orgCode(), flow.slug(), flow.version(),
          run.definition(), run.input(), command.stream()));
    } catch (RuntimeException e) {
      log.warn("run {}: starting workflow {} failed", run.runId(), run.workflowId(), e);
      runs.markStartFailed(run.runId(), "could not start the run's workflow (" + e.getClass().getSimpleName() + ")");
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "the run could not be started: Temporal is not reachable", Map.of("run_id", run.runId()));
    }
    return new StartedRun(run.runId(), run.workflowId());
  }

  public StartedRun start(Caller caller, ResolvedFlow flow, RunCommand command) {
    return launch(caller, prepare(caller, flow, command));
  }

  public CompletedRun runAndWait(Caller caller, ResolvedFlow flow, RunCommand command) {
    return await(start(caller, flow, command));
  }

  /**
   * Waits up to the sync timeout for a started run: 504 when it is still running, 502 when its model provider
   * failed, 500 when it failed otherwise, 503 when Temporal does not answer; each with the run id.
   */
  public CompletedRun await(StartedRun started) {
    String runId = started.runId();
    String workflowId = started.workflowId();
    RunResult result;
    try {
      result = temporal.await(workflowId, syncTimeout);
    } catch (TimeoutException e) {
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "run_timeout",
          "the run did not finish within " + syncTimeout.toSeconds() + " s; it keeps going: poll status_url",
          stillRunning(runId));
    } catch (RunUnreachableException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "Temporal did not answer while waiting for the run; it may still complete: poll status_url",
          stillRunning(runId));
    } catch (RunFailedException e) {
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
    return runs.find(caller.orgId(), runId).orElseThrow();
  }
}
