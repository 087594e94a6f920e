package io.durableflows.api.evals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.gateway.EvalJobGateway;
import io.durableflows.api.gateway.RunFailedException;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalJobWorkflow;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvalSelection;
import io.durableflows.workflows.evals.EvalSummary;
import io.durableflows.workflows.evals.EvaluatorKinds;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.RunResult;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Eval jobs: which evaluations a request selects (001's {@code evalOptions}), their durable start after the run, and
 * how a job reads back.
 *
 * <p>Durability: the job's row is written, {@code pending}, as soon as its run has started (before the run ends);
 * the job's workflow is started once the run has completed, with the run's output. An API that dies anywhere in
 * between leaves a pending row, and the start-up sweep ({@link EvalJobSweeper}) finishes the work: it starts the
 * job of a completed run, waits again for a run still going, and fails the job of a run that did not complete.
 * The workflow id is the job's, so a second start is refused and no job runs twice.
 */
@Component
public class EvalJobs {
  private static final Logger log = LoggerFactory.getLogger(EvalJobs.class);
  static final String ID_KIND = "evj";
  /** How long {@code runMode: block} waits for the evaluations after the run. */
  static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(2);
  /** How long one wait of a background waiter lasts before it looks again. */
  private static final Duration WAIT_SLICE = Duration.ofMinutes(1);
  private static final Set<String> OPTION_FIELDS = Set.of("runMode", "runs");
  private static final Set<String> RUN_FIELDS = Set.of("flowEvalId", "flowEvalExternalInput");
  private final Evaluators evaluators;
  private final EvalJobRepository jobs;
  private final EvalJobGateway gateway;
  private final TemporalGateway temporal;
  private final Json json;

  EvalJobs(Evaluators evaluators, EvalJobRepository jobs, EvalJobGateway gateway, TemporalGateway temporal,
      Json json) {
    this.evaluators = evaluators;
    this.jobs = jobs;
    this.gateway = gateway;
    this.temporal = temporal;
    this.json = json;
  }

  public enum Mode { ASYNC, BLOCK, SKIP }

  /** What a request asked: how to run evaluations and which (empty: none, so no job). */
  public record EvalPlan(Mode mode, List<EvalSelection> selections) {
    public boolean runs() {
      return mode != Mode.SKIP && !selections.isEmpty();
    }
  }

  /**
   * Reads 001's {@code evalOptions} ({@code where} names it in errors): {@code runMode} and {@code runs}, each naming
   * an evaluator of the flow or the slug of a published evaluation flow; without {@code runs}, the flow's autoRun
   * evaluators. 400 with details for anything it cannot use; changes nothing.
   */
  public EvalPlan plan(String orgId, FlowRecord flow, Object evalOptions, String where) {
    if (evalOptions == null) return new EvalPlan(Mode.ASYNC, autoRun(orgId, flow));
    if (!(evalOptions instanceof Map<?, ?> options)) {
      throw invalid(List.of(FieldError.of(where, "must be an object {runMode, runs}")));
    }
    List<FieldError> errors = new ArrayList<>();
    for (Object key : options.keySet()) {
      if (!OPTION_FIELDS.contains(key)) errors.add(FieldError.of(where + "." + key, "is not an evaluation option"));
    }
    Mode mode = Mode.ASYNC;
    Object rawMode = options.get("runMode");
    if (rawMode != null) {
      mode = switch (rawMode instanceof String s ? s : "") {
        case "async" -> Mode.ASYNC;
        case "block" -> Mode.BLOCK;
        case "skip" -> Mode.SKIP;
        default -> {
          errors.add(FieldError.of(where + ".runMode", "must be \"async\", \"block\" or \"skip\""));
          yield Mode.ASYNC;
        }
      };
    }
    List<EvalSelection> selections = List.of();
    if (options.containsKey("runs")) {
      selections = selections(orgId, flow, options.get("runs"), where + ".runs", errors);
    } else if (mode != Mode.SKIP) {
      selections = autoRun(orgId, flow);
    }
    if (!errors.isEmpty()) throw invalid(errors);
    return new EvalPlan(mode, selections);
  }

  private List<EvalSelection> autoRun(String orgId, FlowRecord flow) {
    return evaluators.list(orgId, flow).stream().filter(Evaluators.Evaluator::autoRun)
        .map(e -> new EvalSelection(e.spec(), null)).toList();
  }

  @SuppressWarnings("unchecked")
  private List<EvalSelection> selections(String orgId, FlowRecord flow, Object raw, String where,
      List<FieldError> errors) {
    if (!(raw instanceof List<?> list)) {
      errors.add(FieldError.of(where, "must be a list of {flowEvalId, flowEvalExternalInput}"));
      return List.of();
    }
    List<EvalSelection> selections = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> item)) {
        errors.add(FieldError.of(at, "must be an object {flowEvalId, flowEvalExternalInput}"));
        continue;
      }
      for (Object key : item.keySet()) {
        if (!RUN_FIELDS.contains(key)) errors.add(FieldError.of(at + "." + key, "is not a field of an evaluation"));
      }
      Object external = item.get("flowEvalExternalInput");
      if (external != null && !(external instanceof Map)) {
        errors.add(FieldError.of(at + ".flowEvalExternalInput", "must be an object"));
        continue;
      }
      if (!(item.get("flowEvalId") instanceof String id) || id.isBlank()) {
        errors.add(FieldError.of(at + ".flowEvalId", "is required: an evaluator id of this flow or the slug of a "
            + "published evaluation flow"));
        continue;
      }
      Optional<EvaluatorSpec> spec = resolve(orgId, flow, id);
      if (spec.isEmpty()) {
        errors.add(FieldError.of(at + ".flowEvalId", "'" + id + "' is neither an evaluator of flow '" + flow.slug()
            + "' nor a published flow of this organization"));
        continue;
      }
      selections.add(new EvalSelection(spec.get(), (Map<String, Object>) external));
    }
    return selections;
  }

  /** An evaluator of the flow by id, else a published flow used ad hoc as a {@code flow} evaluator. */
  private Optional<EvaluatorSpec> resolve(String orgId, FlowRecord flow, String id) {
    if (Ids.looksLikeId(Evaluators.ID_KIND, id)) {
      return evaluators.find(orgId, flow, id).map(Evaluators.Evaluator::spec);
    }
    if (evaluators.publishedFlowProblem(orgId, id, null).isPresent()) return Optional.empty();
    return Optional.of(new EvaluatorSpec(id, id, EvaluatorKinds.FLOW, Map.of("flow", id), false));
  }

  /** Writes the job's row, pending, for a run that has started; null when the plan runs nothing. */
  public String record(Caller caller, EvalPlan plan, String runId, String flowSlug) {
    if (!plan.runs()) return null;
    String jobId = Ids.newId(ID_KIND);
    jobs.insert(jobId, caller.orgId(), runId, flowSlug, json.write(plan.selections()),
        EvalJobWorkflow.workflowId(caller.orgCode(), jobId));
    return jobId;
  }

  /** The latest job of a run: what an earlier request with the same Idempotency-Key recorded for it. */
  public Optional<String> latestOf(Caller caller, String runId) {
    return jobs.latestOf(caller.orgId(), runId);
  }

  /**
   * Starts a recorded job's workflow now that its run completed. When Temporal cannot be reached the job stays
   * pending (the start-up sweep starts it), and the caller still gets its id.
   */
  public void start(Caller caller, String jobId, EvalPlan plan, String runId, String flowSlug,
      Map<String, Object> input, Object output) {
    start(new EvalJobRequest(jobId, caller.orgCode(), runId, flowSlug, input, output, plan.selections()));
  }

  private void start(EvalJobRequest request) {
    try {
      gateway.start(request);
    } catch (RuntimeException e) {
      log.warn("eval job {}: could not start its workflow, left pending for the start-up sweep ({})",
          request.jobId(), e.toString());
    }
  }

  /**
   * Starts a recorded job once its run, still going, completes (background and streamed runs): a virtual thread
   * waits for the run; if this process dies meanwhile, the start-up sweep waits again.
   */
  public void startWhenDone(String orgCode, String jobId, String runWorkflowId) {
    Thread.ofVirtual().name("eval job " + jobId).start(() -> awaitRunThenStart(orgCode, jobId, runWorkflowId));
  }

  private void awaitRunThenStart(String orgCode, String jobId, String runWorkflowId) {
    RunResult result;
    try {
      while (true) {
        try {
          result = temporal.await(runWorkflowId, WAIT_SLICE);
          break;
        } catch (TimeoutException e) {
          // still running (or waiting for a person): look again
        }
      }
    } catch (RunFailedException e) {
      jobs.markFailed(jobId, "the evaluated run did not complete: " + e.getMessage());
      return;
    } catch (RuntimeException e) {
      if (runIsGone(runWorkflowId)) {
        jobs.markFailed(jobId, "the evaluated run's workflow no longer exists");
      } else {
        log.warn("eval job {}: stopped waiting for its run ({}); the start-up sweep takes it over", jobId,
            e.toString());
      }
      return;
    }
    RunResult completed = result;
    jobs.openJob(jobId).ifPresent(o -> start(request(o.job(), o.input(), completed.output())));
  }

  private boolean runIsGone(String runWorkflowId) {
    try {
      return temporal.status(runWorkflowId).isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Settles one open job found at start-up (see the class comment). */
  void resume(EvalJobRepository.OpenJob open) {
    EvalJobRepository.JobRow job = open.job();
    Optional<WorkflowExecutionStatus> status = temporal.status(job.workflowId());
    if (status.isPresent()) {
      switch (status.get()) {
        case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_COMPLETED -> { }
        default -> jobs.markFailed(job.id(), "the eval job's workflow ended as "
            + status.get().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      }
      return;
    }
    if (open.runStatus() == null) {
      jobs.markFailed(job.id(), "the evaluated run no longer exists");
    } else if ("completed".equals(open.runStatus())) {
      start(request(job, open.input(), open.output()));
    } else if (RunRecord.isActive(open.runStatus())) {
      startWhenDone(job.orgCode(), job.id(), open.runWorkflowId());
    } else {
      jobs.markFailed(job.id(), "the evaluated run did not complete (" + open.runStatus() + ")");
    }
  }

  private EvalJobRequest request(EvalJobRepository.JobRow job, Map<String, Object> input, Object output) {
    return new EvalJobRequest(job.id(), job.orgCode(), job.runId(), job.flowSlug(), input, output,
        selectionsOf(job.selection()));
  }

  @SuppressWarnings("unchecked")
  private List<EvalSelection> selectionsOf(String selection) {
    List<EvalSelection> out = new ArrayList<>();
    for (Object item : (List<Object>) json.read(selection)) {
      Map<String, Object> s = (Map<String, Object>) item;
      Map<String, Object> e = (Map<String, Object>) s.get("evaluator");
      out.add(new EvalSelection(new EvaluatorSpec((String) e.get("id"), (String) e.get("name"),
          (String) e.get("kind"), (Map<String, Object>) e.get("config"), Boolean.TRUE.equals(e.get("autoRun"))),
          (Map<String, Object>) s.get("externalInput")));
    }
    return out;
  }

  /**
   * Waits (at most {@link #BLOCK_TIMEOUT}) for the job and returns its view; a job still going then is shown as
   * it stands.
   */
  public Map<String, Object> awaitView(Caller caller, String jobId) {
    try {
      gateway.await(caller.orgCode(), jobId, BLOCK_TIMEOUT);
    } catch (RunUnreachableException e) {
      log.warn("eval job {}: {}", jobId, e.getMessage());
    }
    return view(caller.orgId(), jobId);
  }

  /** {@code GET /api/v1/eval-jobs/{id}}: 404 for an unknown job or another organization's. */
  public Map<String, Object> view(String orgId, String jobId) {
    EvalJobRepository.JobRow job = jobs.find(orgId, jobId)
        .orElseThrow(() -> ApiException.notFound("eval job '" + jobId + "'"));
    List<EvalJobRepository.ResultRow> rows = jobs.results(jobId);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", job.id());
    out.put("status", job.status());
    out.put("run_id", job.runId());
    out.put("flow", job.flowSlug());
    out.put("created_at", job.createdAt());
    out.put("finished_at", job.finishedAt());
    out.put("total", ((List<?>) json.read(job.selection())).size());
    out.put("results", rows.stream().map(EvalJobs::result).toList());
    out.put("summary", summary(rows));
    if (job.error() != null) out.put("error", job.error());
    return out;
  }

  static Map<String, Object> result(EvalJobRepository.ResultRow r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("evaluator_id", r.evaluatorId());
    out.put("name", r.name());
    out.put("kind", r.kind());
    out.put("score", r.score());
    out.put("passed", r.passed());
    out.put("reason", r.reason());
    out.put("tokens", tokens(r.promptTokens(), r.completionTokens()));
    out.put("cost_usd", r.costUsd());
    out.put("duration_ms", r.durationMs());
    out.put("error", r.error());
    return out;
  }

  private static Map<String, Object> summary(List<EvalJobRepository.ResultRow> rows) {
    EvalSummary totals = EvalSummary.of(rows.stream()
        .map(r -> new EvalResult(r.evaluatorId(), r.name(), r.kind(), r.score(), r.passed(), r.reason(),
            new Usage(r.promptTokens(), r.completionTokens()), r.costUsd(), r.durationMs(), r.error()))
        .toList());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("passed", totals.passed());
    out.put("failed", totals.failed());
    out.put("errored", totals.errored());
    out.put("score_mean", totals.scoreMean());
    out.put("tokens", tokens(totals.usage().promptTokens(), totals.usage().completionTokens()));
    out.put("cost_usd", totals.costUsd());
    return out;
  }

  private static Map<String, Object> tokens(long prompt, long completion) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prompt", prompt);
    out.put("completion", completion);
    out.put("total", prompt + completion);
    return out;
  }

  private static ApiException invalid(List<FieldError> errors) {
    return ApiException.invalid("invalid_eval_options", "the evaluation options are invalid", errors);
  }
}
