package io.durableflows.api.runs;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * 202 answers about runs that go on without the caller: started in the background ({@code Prefer:
 * respond-async}), or paused for a person during a synchronous call. Both say where to follow the run.
 */
// Before the catch-all error handler, which would take this for an unexpected error.
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
public class RunResponses {
  private final RunRepository runs;
  private final RunRequestsLookup requests;

  RunResponses(RunRepository runs, RunRequestsLookup requests) {
    this.runs = runs;
    this.requests = requests;
  }

  /** Where to follow a run: its record, its event stream, a long-poll for its end, and how to cancel it. */
  public static Map<String, Object> links(String runId) {
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("status_url", "/api/v1/runs/" + runId);
    links.put("events_url", "/api/v1/runs/" + runId + "/events");
    links.put("wait_url", "/api/v1/runs/" + runId + "/wait?timeout=30s");
    links.put("cancel_url", "/api/v1/cancel/" + runId);
    return links;
  }

  /** A run started in the background (or found again by its Idempotency-Key). */
  public static ResponseEntity<Map<String, Object>> accepted(RunRecord run, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run_id", run.id());
    body.put("status", run.status());
    body.putAll(extra);
    body.putAll(links(run.id()));
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/v1/runs/" + run.id()))
        .header("Preference-Applied", "respond-async")
        .header("X-Run-Id", run.id())
        .body(body);
  }

  @ExceptionHandler(RunWaitingException.class)
  public ResponseEntity<Map<String, Object>> waiting(RunWaitingException e) {
    List<Map<String, Object>> pending = requests.ofRun(e.runId()).stream()
        .filter(r -> "pending".equals(r.get("status"))).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run_id", e.runId());
    body.put("status", runs.statusOf(e.runId()).orElse(RunRecord.WAITING));
    body.put("message", "the run waits for a person: answer at waiting_for[].respond_url, then read the result at "
        + "wait_url");
    body.put("waiting_for", pending);
    body.putAll(links(e.runId()));
    return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/runs/" + e.runId()))
        .header("X-Run-Id", e.runId()).body(body);
  }
}
