package io.durableflows.api.experiments;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.datasets.Datasets;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.evals.Evaluators;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ReleaseRecord;
import io.durableflows.api.gateway.ExperimentGateway;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.support.Ids;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.experiments.ExperimentRequest;
import io.durableflows.workflows.experiments.ExperimentWorkflow;
import io.durableflows.workflows.flow.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Starts and cancels experiments; everything they report is read from PostgreSQL. */
@Service
class Experiments {
  private static final Logger log = LoggerFactory.getLogger(Experiments.class);
  static final int DEFAULT_CONCURRENCY = 4;
  static final int MAX_CONCURRENCY = 32;
  private static final int MAX_NAME = 200;
  /** How long a cancel waits for the experiment to record it before answering 202 instead of 200. */
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private final FlowService flows;
  private final Evaluators evaluators;
  private final Datasets datasets;
  private final ExperimentRepository experiments;
  private final ExperimentGateway temporal;
  private final TemporalGateway workflows;

  Experiments(FlowService flows, Evaluators evaluators, Datasets datasets, ExperimentRepository experiments,
      ExperimentGateway temporal, TemporalGateway workflows) {
    this.flows = flows;
    this.evaluators = evaluators;
    this.datasets = datasets;
    this.experiments = experiments;
    this.temporal = temporal;
    this.workflows = workflows;
  }

  /**
   * Checks everything the body names (400 with one detail per bad field, nothing recorded or started), records
   * the experiment and starts its workflow (503 when Temporal does not take it; the experiment is then failed).
   */
  ExperimentRecord create(Caller caller, Map<String, Object> body) {
    caller.require("runs:write");
    List<FieldError> errors = new ArrayList<>();
    String flowRef = string(body, "flow", true, errors);
    String version = string(body, "version", false, errors);
    String datasetId = string(body, "dataset_id", true, errors);
    String name = string(body, "name", false, errors);
    if (name != null && name.length() > MAX_NAME) errors.add(FieldError.of("name", "at most " + MAX_NAME + " characters"));
    int concurrency = concurrency(body.get("concurrency"), errors);
    List<String> evaluatorIds = evaluatorIds(body.get("evaluators"), errors);

    FlowRecord flow = null;
    ReleaseRecord release = null;
    if (flowRef != null) {
      flow = flows.find(caller.orgId(), flowRef).orElse(null);
      if (flow == null) {
        errors.add(FieldError.of("flow", "no flow '" + flowRef + "' in this organization"));
      } else {
        release = release(flow, version, errors);
      }
    }
    Optional<Datasets.Dataset> dataset = datasetId == null ? Optional.empty()
        : datasets.find(caller.orgId(), datasetId);
    if (datasetId != null && dataset.isEmpty()) {
      errors.add(FieldError.of("dataset_id", "no dataset '" + datasetId + "' in this organization"));
    }
    List<EvaluatorSpec> evaluators = flow == null ? List.of() : evaluators(caller, flow, evaluatorIds, errors);
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_request", "invalid experiment", errors);

    String id = Ids.newId("exp");
    String workflowId = ExperimentWorkflow.workflowId(caller.orgCode(), id);
    int total = dataset.orElseThrow().rows();
    experiments.insert(new ExperimentRepository.NewExperiment(id, caller.orgId(), name, flow.id(), flow.slug(),
        flow.projectId(), release.id(), release.version(), datasetId, evaluators, concurrency, total, workflowId));
    ExperimentRequest request = new ExperimentRequest(id, caller.orgCode(), flow.slug(), release.version(), total,
        concurrency, evaluators, ExperimentRequest.ROWS_PER_EXECUTION, 0);
    try {
      temporal.start(request, datasetId);
    } catch (RuntimeException e) {
      log.warn("experiment {}: starting workflow {} failed", id, workflowId, e);
      experiments.end(id, ExperimentRecord.FAILED,
          "could not start the experiment's workflow (" + e.getClass().getSimpleName() + ")");
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "the experiment could not be started: Temporal is not reachable", Map.of("id", id));
    }
    return require(caller, id);
  }

  ExperimentRecord require(Caller caller, String id) {
    return experiments.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("experiment '" + id + "'"));
  }

  /**
   * Asks a running experiment to stop (its runs in flight are cancelled; finished rows keep their results) and
   * waits briefly for it to record that: the experiment and whether it has. 409 {@code not_active} when it had
   * already ended.
   */
  Cancelled cancel(Caller caller, String id) throws InterruptedException {
    caller.require("runs:write");
    ExperimentRecord experiment = require(caller, id);
    if (!experiment.running()) {
      throw ApiException.conflict("not_active", "experiment '" + id + "' has already ended (" + experiment.status()
          + ")");
    }
    boolean known;
    try {
      known = workflows.cancel(experiment.workflowId());
    } catch (RuntimeException e) {
      log.warn("experiment {}: cancelling workflow {} failed", id, experiment.workflowId(), e);
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "the experiment could not be cancelled: Temporal is not reachable; try again");
    }
    if (!known) experiments.end(id, ExperimentRecord.CANCELLED, null);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    ExperimentRecord now = require(caller, id);
    while (now.running() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = require(caller, id);
    }
    return new Cancelled(now, !now.running());
  }

  record Cancelled(ExperimentRecord experiment, boolean settled) {}

  /** Release {@code version} of the flow, else its latest; experiments compare releases, so a draft will not do. */
  private ReleaseRecord release(FlowRecord flow, String version, List<FieldError> errors) {
    Optional<ReleaseRecord> release = flows.release(flow, version);
    if (release.isEmpty()) {
      errors.add(FieldError.of("version", version == null
          ? "flow '" + flow.slug() + "' has no release: publish one first"
          : "flow '" + flow.slug() + "' has no release '" + version + "'"));
    }
    return release.orElse(null);
  }

  /** The evaluators named (each must be one of the flow's), or without names the flow's auto-run ones. */
  private List<EvaluatorSpec> evaluators(Caller caller, FlowRecord flow, List<String> ids, List<FieldError> errors) {
    List<EvaluatorSpec> ofFlow = evaluators.specs(caller.orgId(), flow);
    if (ids == null) return ofFlow.stream().filter(EvaluatorSpec::autoRun).toList();
    List<EvaluatorSpec> chosen = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Optional<EvaluatorSpec> spec = ofFlow.stream().filter(e -> e.id().equals(id)).findFirst();
      if (spec.isPresent()) {
        chosen.add(spec.get());
      } else {
        errors.add(FieldError.of("evaluators[" + i + "]", "no evaluator '" + id + "' on flow '" + flow.slug() + "'"));
      }
    }
    return chosen;
  }

  private static String string(Map<String, Object> body, String field, boolean required, List<FieldError> errors) {
    Object value = body.get(field);
    if (value == null) {
      if (required) errors.add(FieldError.of(field, "is required"));
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      errors.add(FieldError.of(field, "must be a non-empty string"));
      return null;
    }
    return s;
  }

  private static int concurrency(Object value, List<FieldError> errors) {
    if (value == null) return DEFAULT_CONCURRENCY;
    if (value instanceof Integer n && n >= 1 && n <= MAX_CONCURRENCY) return n;
    errors.add(FieldError.of("concurrency", "must be an integer from 1 to " + MAX_CONCURRENCY));
    return DEFAULT_CONCURRENCY;
  }

  /** Null when the body names none (the flow's auto-run evaluators are used). */
  private static List<String> evaluatorIds(Object value, List<FieldError> errors) {
    if (value == null) return null;
    if (!(value instanceof List<?> list)) {
      errors.add(FieldError.of("evaluators", "must be an array of evaluator ids"));
      return null;
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s && !s.isBlank()) {
        if (!ids.contains(s)) ids.add(s);
      } else {
        errors.add(FieldError.of("evaluators[" + i + "]", "must be an evaluator id"));
      }
    }
    return ids;
  }
}
