package io.durableflows.api.compat.flowrequest;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.evals.EvalJobs;
import io.durableflows.api.evals.EvalJobs.EvalPlan;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.projects.Project;
import io.durableflows.api.projects.ProjectService;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.PreparedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.runs.RunService.StartedRun;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.EventStreams.OnDisconnect;
import io.durableflows.api.streams.NativeEventFormat;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.run.RunResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Reference 001: "Flow Request" — run a flow of a project with sessions, releases and overrides. */
@RestController
class FlowRequestController {
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  private final RunService runs;
  private final FlowService flows;
  private final ProjectService projects;
  private final Json json;
  private final EventStreams streams;
  private final EvalJobs evals;

  FlowRequestController(RunService runs, FlowService flows, ProjectService projects, Json json,
      EventStreams streams, EvalJobs evals) {
    this.runs = runs;
    this.flows = flows;
    this.projects = projects;
    this.json = json;
    this.streams = streams;
    this.evals = evals;
  }

  @PostMapping("/api/v1/accounts/{accountId}/projects/{projectId}/flows/{flowId}/run")
  ResponseEntity<?> run(Caller caller, @PathVariable String accountId, @PathVariable String projectId,
      @PathVariable String flowId, @RequestBody Map<String, Object> request, HttpServletRequest http,
      HttpServletResponse response) {
    caller.requireOrg(accountId);
    Project project = projects.require(caller.orgId(), projectId);
    FlowRecord flow = flows.find(caller.orgId(), flowId)
        .filter(f -> f.projectId().equals(project.id()))
        .orElseThrow(() -> ApiException.notFound("flow '" + flowId + "' in project '" + projectId + "'"));
    Options options = Options.parse(request);
    // Before anything starts: bad evaluation options are a 400 with no run.
    EvalPlan plan = evals.plan(caller.orgId(), flow, options.evalOptions(), "options.evalOptions");
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) request.get("body");
    String sessionId = options.sessionId() == null ? UUID.randomUUID().toString() : options.sessionId();
    RunCommand command =
        new RunCommand(flow.id(), options.version(), body, null, options.override(), sessionId, "flow_request");
    Idempotency idempotency = Idempotency.of(http, request);
    if (AsyncRequests.requested(http)) {
      RunRecord started = runs.startInBackground(caller, flows.resolve(caller.orgId(), flow.id(), options.version()),
          command, idempotency);
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("id", started.id());
      extra.put("flow_id", flow.id());
      extra.put("flow_session_id", started.flowSessionId());
      extra.put("eval_job_id", evalAfter(caller, plan, started.id(), started.workflowId(), flow));
      return RunResponses.accepted(started, extra);
    }
    if (options.stream().equals("http")) {
      // The run's event log as server-sent events: the same format as GET /api/v1/runs/{id}/events.
      var run = streams.startStreamed(caller, flows.resolve(caller.orgId(), flow.id(), options.version()), command,
          idempotency);
      HttpHeaders headers = EventStreams.headers();
      headers.set("X-Flow-Session-Id", sessionId);
      String evalJobId = evalAfter(caller, plan, run.runId(), run.workflowId(), flow);
      if (evalJobId != null) headers.set("X-Eval-Job-Id", evalJobId);
      streams.stream(response, run, new NativeEventFormat(json), headers, options.onDisconnect());
      return null;
    }
    PreparedRun prepared = runs.prepare(caller, flows.resolve(caller.orgId(), flow.id(), options.version()), command);
    StartedRun started = runs.launch(caller, prepared, idempotency);
    String evalJobId = recordEvalJob(caller, plan, started, flow);
    CompletedRun run;
    try {
      run = runs.await(started);
    } catch (RuntimeException e) {
      // Not completed (yet): the job starts if the run completes, and fails if it does not.
      if (evalJobId != null) evals.startWhenDone(caller.orgCode(), evalJobId, started.workflowId());
      throw e;
    }
    Map<String, Object> evaluation = null;
    if (evalJobId != null) {
      evals.start(caller, evalJobId, plan, run.runId(), flow.slug(), prepared.input(), run.result().output());
      if (plan.mode() == EvalJobs.Mode.BLOCK) evaluation = evals.awaitView(caller, evalJobId);
    }
    Map<String, Object> out = response(runs.record(caller, run), run.result(), flow, project, body, options, accountId);
    out.put("eval_job_id", evalJobId);
    if (evaluation != null) {
      out.put("eval_status", evaluation.get("status"));
      out.put("evaluations", evaluation.get("results"));
      out.put("eval_summary", evaluation.get("summary"));
    }
    return ResponseEntity.ok(out);
  }

  /**
   * The run's eval job, recorded now that the run has started; a retry with the same Idempotency-Key finds the job
   * the first request recorded. Null when the request runs no evaluations.
   */
  private String recordEvalJob(Caller caller, EvalPlan plan, StartedRun started, FlowRecord flow) {
    if (!plan.runs()) return null;
    if (started.replayed()) {
      var earlier = evals.latestOf(caller, started.runId());
      if (earlier.isPresent()) return earlier.get();
    }
    return evals.record(caller, plan, started.runId(), flow.slug());
  }

  /** For runs the response does not wait for (background, streamed): the job starts when the run completes. */
  private String evalAfter(Caller caller, EvalPlan plan, String runId, String runWorkflowId, FlowRecord flow) {
    if (!plan.runs()) return null;
    String jobId = evals.latestOf(caller, runId).orElse(null);
    if (jobId == null) {
      jobId = evals.record(caller, plan, runId, flow.slug());
      evals.startWhenDone(caller.orgCode(), jobId, runWorkflowId);
    }
    return jobId;
  }

  record Options(String sessionId, String version, String stream, Map<String, Object> override,
      OnDisconnect onDisconnect, Object evalOptions) {
    @SuppressWarnings("unchecked")
    static Options parse(Map<String, Object> request) {
      if (!(request.get("body") instanceof Map)) {
        throw ApiException.badRequest("invalid_request", "body is required: the flow's input object");
      }
      Object raw = request.get("options");
      if (raw == null) return new Options(null, null, "none", Map.of(), OnDisconnect.CONTINUE, null);
      if (!(raw instanceof Map<?, ?> o)) throw ApiException.badRequest("invalid_request", "options must be an object");
      String session = optionalString(o, "flow_session_id");
      String version = optionalString(o, "version");
      String stream = optionalString(o, "stream");
      if (stream == null) stream = "none";
      if (!stream.equals("none") && !stream.equals("http")) {
        throw ApiException.badRequest("invalid_request", "options.stream must be \"none\" or \"http\"");
      }
      Object override = o.get("override");
      if (override != null && !(override instanceof Map)) {
        throw ApiException.badRequest("invalid_request", "options.override must be an object");
      }
      return new Options(session, version, stream, override == null ? Map.of() : (Map<String, Object>) override,
          OnDisconnect.parse(o.get("on_disconnect"), "options.on_disconnect"), o.get("evalOptions"));
    }

    private static String optionalString(Map<?, ?> o, String key) {
      Object v = o.get(key);
      if (v == null) return null;
      if (!(v instanceof String s) || s.isBlank()) {
        throw ApiException.badRequest("invalid_request", "options." + key + " must be a non-empty string");
      }
      return s;
    }
  }

  private Map<String, Object> response(RunRecord r, RunResult result, FlowRecord flow, Project project,
      Map<String, Object> body, Options options, String accountId) {
    String start = iso(r.startedAt());
    String end = iso(r.finishedAt() == null ? OffsetDateTime.now() : r.finishedAt());
    Map<String, Object> requestParams = new LinkedHashMap<>();
    requestParams.put("stream", options.stream());
    requestParams.put("override", options.override());
    Map<String, Object> userMessage = new LinkedHashMap<>();
    userMessage.put("id", UUID.nameUUIDFromBytes((r.id() + "/user").getBytes()).toString());
    userMessage.put("date", start);
    userMessage.put("role", "user");
    userMessage.put("content", userContent(body));
    Map<String, Object> aiMessage = new LinkedHashMap<>();
    aiMessage.put("id", UUID.nameUUIDFromBytes((r.id() + "/assistant").getBytes()).toString());
    aiMessage.put("date", end);
    aiMessage.put("role", "assistant");
    aiMessage.put("steps", result.steps());
    aiMessage.put("content", result.text());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tags", List.of());
    out.put("startTime", start);
    out.put("id", r.id());
    out.put("flow_id", flow.id());
    out.put("flow_session_id", r.flowSessionId());
    out.put("body", body);
    out.put("requestParams", requestParams);
    out.put("status", "complete");
    out.put("top_request_id", r.id());
    out.put("runOptions", Map.of());
    out.put("userMessage", userMessage);
    out.put("flow_history_id", r.flowHistoryId());
    out.put("version", r.version());
    out.put("response", "raw".equals(result.shape()) ? Map.of("text", result.text()) : result.output());
    out.put("aiMessage", aiMessage);
    // Set by the caller when the request runs evaluations (kept here for 001's field order).
    out.put("eval_job_id", null);
    out.put("endTime", end);
    out.put("duration", r.durationMs() == null ? 0 : r.durationMs());
    out.put("created", iso(r.createdAt()));
    out.put("account_id", accountId);
    out.put("project_id", project.id());
    return out;
  }

  /** The user's words: the body's only string value, else the body as JSON. */
  private String userContent(Map<String, Object> body) {
    List<String> strings = body.values().stream().filter(v -> v instanceof String).map(v -> (String) v).toList();
    return strings.size() == 1 ? strings.get(0) : json.write(body);
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(ISO_MILLIS);
  }
}
