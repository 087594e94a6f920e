package io.durableflows.api.runs;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.EventStreams.OnDisconnect;
import io.durableflows.api.streams.NativeEventFormat;
import io.durableflows.api.support.Cursors;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.Durations;
import io.durableflows.workflows.llm.Usage;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Native run reads, always from PostgreSQL (never from Temporal visibility). */
@RestController
@RequestMapping("/api/v1/runs")
class RunController {
  private static final Set<String> STATUSES =
      Set.of("running", "waiting", "completed", "failed", "cancelled", "lost");
  /** Long polls end by this at the latest: proxies and load balancers rarely hold a request longer. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(120);
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final EventStreams streams;
  private final RunRequestsLookup requests;
  private final Json json;

  RunController(RunRepository runs, TemporalGateway temporal, EventStreams streams, RunRequestsLookup requests,
      Json json) {
    this.runs = runs;
    this.temporal = temporal;
    this.streams = streams;
    this.requests = requests;
    this.json = json;
  }

  /**
   * Long-polls a run: answers as soon as it has ended or waits for a person, else after {@code timeout} (default
   * 30 s, at most 120 s) with the run as it is; the client asks again while {@code status} is running.
   */
  @GetMapping("/{id}/wait")
  Map<String, Object> waitFor(Caller caller, @PathVariable String id,
      @RequestParam(defaultValue = "30s") String timeout) throws InterruptedException {
    caller.require("runs:read");
    Duration limit = Durations.parse(timeout).filter(d -> d.compareTo(MAX_WAIT) <= 0)
        .orElseThrow(() -> ApiException.badRequest("invalid_request",
            "timeout must be a duration such as 30s or 2m, at most " + MAX_WAIT.toSeconds() + "s"));
    RunRecord run = runs.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("run '" + id + "'"));
    if (RunRecord.RUNNING.equals(run.status())) run = streams.awaitSettled(run, limit);
    return view(run, true);
  }

  /**
   * The run's event log as server-sent events, from the start or after {@code Last-Event-ID} / {@code ?after=};
   * for a running run it follows the run to its {@code done} event.
   */
  @GetMapping(value = "/{id}/events")
  void events(Caller caller, @PathVariable String id,
      @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(required = false) String after,
      @RequestParam(name = "on_disconnect", required = false) String onDisconnect, HttpServletResponse response) {
    caller.require("runs:read");
    OnDisconnect disconnect = OnDisconnect.parse(onDisconnect, "on_disconnect");
    if (disconnect == OnDisconnect.CANCEL) caller.require("runs:write");
    long afterSeq = sequence(after != null ? after : lastEventId, after != null ? "after" : "Last-Event-ID");
    RunRecord run = runs.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("run '" + id + "'"));
    streams.stream(response, run, afterSeq, new NativeEventFormat(json), EventStreams.headers(), disconnect);
  }

  private static long sequence(String value, String name) {
    if (value == null || value.isBlank()) return 0;
    try {
      long seq = Long.parseLong(value.trim());
      if (seq >= 0) return seq;
    } catch (NumberFormatException ignored) {
      // falls through to the error below
    }
    throw ApiException.badRequest("invalid_request", name + " must be a non-negative event sequence number");
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(runs.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("run '" + id + "'")), true);
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String flow,
      @RequestParam(required = false) String status, @RequestParam(required = false) String parent,
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 100);
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest("invalid_request", "status must be one of " + STATUSES);
    }
    Cursors.Position after = Cursors.decode(cursor);
    List<RunRecord> page = runs.page(caller.orgId(), flow, status, parent, after == null ? null : after.createdAt(),
        after == null ? null : after.id(), limit + 1);
    return Cursors.page(page, limit, r -> new Cursors.Position(r.createdAt(), r.id()), r -> view(r, false));
  }

  private Map<String, Object> view(RunRecord r, boolean full) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("flow", r.flowSlug());
    out.put("flow_id", r.flowId());
    out.put("version", r.version());
    out.put("release_id", r.releaseId());
    out.put("flow_history_id", r.flowHistoryId());
    out.put("flow_session_id", r.flowSessionId());
    out.put("channel", r.channel());
    // Sub-flows, map items, flow tools and sub-agents are child runs: list a run's with ?parent=<run id>.
    out.put("parent_run_id", r.metadata() == null ? null : r.metadata().get("parent_run_id"));
    out.put("status", r.status());
    out.put("created_at", r.createdAt());
    out.put("started_at", r.startedAt());
    out.put("finished_at", r.finishedAt());
    out.put("duration_ms", r.durationMs());
    out.put("usage", new Usage(r.promptTokens(), r.completionTokens()).fields());
    out.put("cost_usd", r.costUsd());
    Map<String, Object> error = null;
    if (r.errorType() != null || r.errorMessage() != null) {
      error = new LinkedHashMap<>();
      error.put("type", r.errorType());
      error.put("message", r.errorMessage());
    }
    out.put("error", error);
    out.put("workflow_id", r.workflowId());
    out.put("temporal_ui_url", temporal.uiLink(r.workflowId()));
    out.put("background", r.background());
    if (full) {
      out.put("input", r.input());
      out.put("metadata", r.metadata());
      out.put("output", r.output());
      List<Map<String, Object>> asked = requests.ofRun(r.id());
      out.put("waiting_for", asked.stream().filter(q -> "pending".equals(q.get("status"))).toList());
      out.put("requests", asked);
      out.put("calls", runs.calls(r.id()));
      out.putAll(RunResponses.links(r.id()));
    }
    return out;
  }
}
