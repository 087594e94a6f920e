package io.durableflows.api.cancel;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import io.durableflows.api.runs.RunRequestsLookup;
import io.durableflows.api.support.Cursors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's cancellation routes. An execution ("call") is a running or waiting run of the caller's org;
 * cancelling asks its workflow to stop: a model call stops at its next heartbeat, the run ends {@code cancelled}
 * with what it had produced so far, and every stream of it ends with a cancelled {@code done}.
 */
@RestController
@RequestMapping("/api/v1/cancel")
class CancelController {
  private static final Logger log = LoggerFactory.getLogger(CancelController.class);
  /** How long a cancel waits for the run to record its end before answering 202 instead of 200. */
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final int MAX_ACTIVE = 500;
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final RunRequestsLookup requests;

  CancelController(RunRepository runs, TemporalGateway temporal, RunRequestsLookup requests) {
    this.runs = runs;
    this.temporal = temporal;
    this.requests = requests;
  }

  @GetMapping("/active-calls")
  Map<String, Object> active(Caller caller, @RequestParam(defaultValue = "100") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, MAX_ACTIVE);
    List<RunRecord> active = runs.active(caller.orgId(), limit);
    Map<String, List<String>> waitingFor = requests.pendingIds(
        active.stream().filter(r -> RunRecord.WAITING.equals(r.status())).map(RunRecord::id).toList());
    List<Map<String, Object>> calls = active.stream().map(run -> call(run, waitingFor)).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", calls);
    out.put("count", calls.size());
    return out;
  }

  private static Map<String, Object> call(RunRecord run, Map<String, List<String>> waitingFor) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("call_id", run.id());
    call.put("run_id", run.id());
    call.put("flow", run.flowSlug());
    call.put("status", run.status());
    call.put("channel", run.channel());
    call.put("background", run.background());
    call.put("started_at", run.startedAt());
    if (RunRecord.WAITING.equals(run.status())) call.put("waiting_for", waitingFor.getOrDefault(run.id(), List.of()));
    call.put("cancel_url", "/api/v1/cancel/" + run.id());
    return call;
  }

  /** Any id but {@code active-calls}: a POST there is the wrong method on the listing (405), not an unknown id. */
  @PostMapping("/{callId:(?!active-calls$).+}")
  ResponseEntity<Map<String, Object>> cancel(Caller caller, @PathVariable String callId)
      throws InterruptedException {
    caller.require("runs:write");
    RunRecord run = runs.find(caller.orgId(), callId)
        .orElseThrow(() -> ApiException.notFound("execution '" + callId + "'"));
    return cancelled(run);
  }

  /** A background task is a run started with {@code Prefer: respond-async}. */
  @PostMapping("/background-task/{taskId}")
  ResponseEntity<Map<String, Object>> cancelTask(Caller caller, @PathVariable String taskId)
      throws InterruptedException {
    caller.require("runs:write");
    RunRecord run = runs.find(caller.orgId(), taskId).filter(RunRecord::background)
        .orElseThrow(() -> ApiException.notFound("background task '" + taskId + "'"));
    return cancelled(run);
  }

  /** Cancels every running and waiting run of the caller's org (no other org's). */
  @PostMapping("/all")
  Map<String, Object> cancelAll(Caller caller) {
    caller.require("runs:write");
    List<String> cancelled = new ArrayList<>();
    List<Map<String, Object>> failed = new ArrayList<>();
    for (RunRecord run : runs.active(caller.orgId(), MAX_ACTIVE)) {
      try {
        if (!temporal.cancel(run.workflowId())) endWithoutWorkflow(run);
        cancelled.add(run.id());
      } catch (RuntimeException e) {
        failed.add(Map.of("call_id", run.id(), "error", "temporal_unavailable", "message", "could not cancel"));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cancelled", cancelled);
    out.put("count", cancelled.size());
    out.put("failed", failed);
    return out;
  }

  /** 200 with the cancelled run once it has recorded its end, 202 while it still stops; 409 if it had ended. */
  private ResponseEntity<Map<String, Object>> cancelled(RunRecord run) throws InterruptedException {
    if (!run.active()) {
      throw new ApiException(HttpStatus.CONFLICT, "not_active",
          "run " + run.id() + " is already " + run.status(), Map.of("call_id", run.id(), "status", run.status()));
    }
    boolean reached;
    try {
      reached = temporal.cancel(run.workflowId());
    } catch (RuntimeException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable",
          "Temporal did not take the cancellation; try again", Map.of("call_id", run.id()));
    }
    if (!reached) endWithoutWorkflow(run);
    RunRecord now = settled(run);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("call_id", run.id());
    out.put("cancelled", true);
    out.put("status", now.active() ? "cancelling" : now.status());
    out.put("output", now.active() ? null : now.output());
    out.put("status_url", "/api/v1/runs/" + run.id());
    return ResponseEntity.status(now.active() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(out);
  }

  /**
   * Ends a run whose workflow Temporal does not know: gone (lost), or not started yet by the request that recorded
   * it. In the second case the workflow may start right after the first look: it is asked to stop once more after
   * the run is marked (the starter, seeing the mark after its start, stops it as well).
   */
  private void endWithoutWorkflow(RunRecord run) {
    runs.markEnded(run.id(), "cancelled", "cancelled", "the run was cancelled (it had no running workflow)");
    try {
      temporal.cancel(run.workflowId());
    } catch (RuntimeException e) {
      // The run is marked: a starter that gets its workflow going after this sees the mark and stops it.
      log.warn("run {}: second cancel of a workflow not found at first failed ({})", run.id(), e.toString());
    }
  }

  private RunRecord settled(RunRecord run) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    RunRecord now = run;
    while (now.active() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = runs.find(run.orgId(), run.id()).orElse(now);
    }
    return now;
  }
}
