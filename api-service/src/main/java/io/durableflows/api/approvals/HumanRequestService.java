package io.durableflows.api.approvals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.AnswerRefusedException;
import io.durableflows.api.gateway.RunNotWaitingException;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunReconciler;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import io.durableflows.api.runs.RunRequestsLookup;
import io.durableflows.api.support.Cursors;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanRequests;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.tools.BuiltInTools;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Approvals and questions: listed from PostgreSQL, answered through the waiting run. An answer is checked here
 * first against the stored request (clear errors, nothing sent), then handed to the run, whose update validator
 * has the final word; the run records the outcome before the update completes, so the answer's response and
 * every later read agree.
 */
@Service
public class HumanRequestService implements RunRequestsLookup {
  /** How long to wait before asking a run again that did not know a pending request yet. */
  private static final Duration UNKNOWN_REQUEST_RETRY = Duration.ofMillis(200);
  private static final long EXPIRY_GRACE_SECONDS = 60;
  private final HumanRequestRepository requests;
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final TokenService tokens;
  private final RunReconciler reconciler;
  private final Duration answerTimeout;

  HumanRequestService(HumanRequestRepository requests, RunRepository runs, TemporalGateway temporal,
      TokenService tokens, RunReconciler reconciler,
      @Value("${df.approvals.answer-timeout:10s}") Duration answerTimeout) {
    this.requests = requests;
    this.runs = runs;
    this.temporal = temporal;
    this.tokens = tokens;
    this.reconciler = reconciler;
    this.answerTimeout = answerTimeout;
  }

  /** An answer's HTTP outcome: 200 with the resolved request, or 202 when it is queued for the run. */
  public record Reply(HttpStatus status, Map<String, Object> body) {}

  Map<String, Object> get(Caller caller, String kind, String id) {
    caller.require("runs:read");
    return HumanRequestViews.of(require(caller, kind, id));
  }

  /** All requests of a run, oldest first: what a run view shows. */
  @Override
  public List<Map<String, Object>> ofRun(String runId) {
    return requests.ofRun(runId).stream().map(HumanRequestViews::of).toList();
  }

  @Override
  public Map<String, List<String>> pendingIds(List<String> runIds) {
    return requests.pendingIds(runIds);
  }

  Map<String, Object> pending(Caller caller, String kind, String flow, String runId, String tool, String cursor,
      int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 100);
    Cursors.Position after = Cursors.decode(cursor);
    List<HumanRequestRecord> page = requests.pending(caller.orgId(), kind, blankToNull(flow), blankToNull(runId),
        blankToNull(tool), after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1);
    return Cursors.page(page, limit, r -> new Cursors.Position(r.createdAt(), r.id()), HumanRequestViews::of);
  }

  /**
   * Answers a request: {@code async} sends it as a signal (fire and forget, 202); otherwise the run takes it as
   * an update and the response is the resolved request.
   */
  public Reply respond(Caller caller, String kind, String id, HumanAnswer answer, boolean async) {
    caller.require("runs:write");
    HumanRequestRecord row = require(caller, kind, id);
    HumanAnswer signed = sign(caller, answer, id);
    RunRecord run = runs.find(caller.orgId(), row.runId())
        .orElseThrow(() -> ApiException.notFound(kind + " '" + id + "'"));
    // Closed because its run ended, not by anyone's answer: the run's end is what the person needs to hear.
    if (!run.active() && row.closedByRunEnd()) throw runEnded(run);
    refuseEarly(row, signed);
    if (!run.active()) throw runEnded(run);
    try {
      if (async) {
        temporal.signalAnswer(run.workflowId(), signed);
        return queued(row, "the answer was sent to the run, which applies it when it next runs");
      }
      Optional<HumanResolution> resolution = respondOnceKnown(run, signed);
      if (resolution.isEmpty()) {
        return queued(row, "the run's workers did not take the answer within " + answerTimeout.toSeconds()
            + " s; it is queued and applied when they do");
      }
      return new Reply(HttpStatus.OK, resolvedView(caller, row, resolution.get()));
    } catch (AnswerRefusedException e) {
      throw refused(e);
    } catch (RunNotWaitingException e) {
      // The run ended since the checks above: if another answer ended it, that answer is what to tell.
      requests.find(caller.orgId(), id).filter(now -> !now.pending() && !now.closedByRunEnd())
          .ifPresent(now -> refuseEarly(now, signed));
      // Or its workflow ended without recording it (terminated, lost): record that now, closing its requests.
      RunRecord ended = reconcile(run);
      throw runEnded(ended);
    } catch (RunUnreachableException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable", e.getMessage(),
          Map.of("run_id", run.id()));
    }
  }

  /**
   * Sends the answer as an update. The request's row is pending, so the run has asked it; but a run whose worker
   * died just after writing the row re-registers the request only when a new worker replays it, and an update
   * arriving in that moment is refused as unknown. Such a refusal is asked again, up to the answer timeout.
   */
  private Optional<HumanResolution> respondOnceKnown(RunRecord run, HumanAnswer answer) {
    long deadline = System.nanoTime() + answerTimeout.toNanos();
    while (true) {
      try {
        return temporal.respond(run.workflowId(), answer, answerTimeout);
      } catch (AnswerRefusedException e) {
        if (!HitlFailures.REQUEST_NOT_FOUND.equals(e.failureType()) || System.nanoTime() > deadline) throw e;
      }
      try {
        Thread.sleep(UNKNOWN_REQUEST_RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunUnreachableException("interrupted while the run re-registered its request");
      }
    }
  }

  /** Each item answered on its own: one bad item does not stop the others. */
  List<Map<String, Object>> bulk(Caller caller, List<Map<String, Object>> items, boolean async) {
    caller.require("runs:write");
    // Once one answer had to be queued (the workers are not taking updates), the rest go as signals at once:
    // waiting out the answer timeout per item would hold the request for minutes.
    boolean[] signal = {async};
    return items.stream().map(item -> {
      String id = item.get("id") instanceof String s ? s : null;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("id", id);
      try {
        if (id == null) throw ApiException.badRequest("invalid_request", "id is required: the approval's id");
        Reply reply = respond(caller, HumanRequest.APPROVAL, id, Answers.approval(item), signal[0]);
        if (reply.status() == HttpStatus.ACCEPTED) signal[0] = true;
        result.put("ok", true);
        result.put("status", reply.status().value());
        result.put("approval", reply.body());
      } catch (ApiException e) {
        result.put("ok", false);
        result.put("status", e.status().value());
        result.putAll(e.body());
      }
      return result;
    }).toList();
  }

  Map<String, Object> toolStats(Caller caller, String tool) {
    caller.require("runs:read");
    if (BuiltInTools.find(tool).isEmpty() && !requests.toolSeen(caller.orgId(), tool)) {
      throw ApiException.notFound("tool '" + tool + "'");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tool", tool);
    out.putAll(requests.stats(caller.orgId(), tool));
    return out;
  }

  Map<String, Object> summary(Caller caller) {
    caller.require("runs:read");
    Map<String, Object> out = new LinkedHashMap<>(requests.pendingSummary(caller.orgId()));
    out.put("last_24h", requests.lastDay(caller.orgId()));
    Map<String, Object> approvals = requests.stats(caller.orgId(), null);
    out.put("approve_rate", approvals.get("approve_rate"));
    out.put("median_wait_ms", approvals.get("median_wait_ms"));
    out.put("p95_wait_ms", approvals.get("p95_wait_ms"));
    out.put("pending_by_flow", requests.pendingBy(caller.orgId(), "flow"));
    out.put("pending_by_tool", requests.pendingBy(caller.orgId(), "tool"));
    return out;
  }

  /**
   * Closes what no run will close any more: requests past their timeout (plus a minute's grace for the run's own
   * timer) take their timeout decision; requests of ended runs are cancelled.
   */
  Map<String, Object> cleanup(Caller caller) {
    caller.require("runs:write");
    List<String> expired = requests.expireOverdue(caller.orgId(), EXPIRY_GRACE_SECONDS);
    List<String> closed = requests.closeOrphans(caller.orgId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("expired", expired.size());
    out.put("closed", closed.size());
    out.put("expired_ids", expired);
    out.put("closed_ids", closed);
    return out;
  }

  private RunRecord reconcile(RunRecord run) {
    try {
      if (reconciler.settle(run) != RunReconciler.Settled.ALIVE) return runs.find(run.orgId(), run.id()).orElse(run);
    } catch (RuntimeException e) {
      // Temporal away: the start-up sweep or a later answer settles it.
    }
    return run;
  }

  private HumanRequestRecord require(Caller caller, String kind, String id) {
    return requests.find(caller.orgId(), id).filter(r -> r.kind().equals(kind))
        .orElseThrow(() -> ApiException.notFound(kind + " '" + id + "'"));
  }

  /** Who answered: the token, and the name the person gave (else the token's name). */
  private HumanAnswer sign(Caller caller, HumanAnswer answer, String id) {
    String name = answer.responderName() != null ? answer.responderName()
        : tokens.name(caller.orgId(), caller.tokenId()).orElse(caller.tokenId());
    return new HumanAnswer(id, answer.action(), answer.comment(), answer.modifiedArguments(), answer.answer(),
        caller.tokenId(), name, System.currentTimeMillis());
  }

  /** The stored request already tells most refusals: answer them without troubling the run. */
  private static void refuseEarly(HumanRequestRecord row, HumanAnswer answer) {
    if (!row.pending()) {
      if ("expired".equals(row.status())) {
        throw new ApiException(HttpStatus.GONE, "request_expired",
            row.id() + " expired unanswered; the run went on without it");
      }
      throw new ApiException(HttpStatus.CONFLICT, "already_resolved", row.id() + " was already " + row.status()
          + (row.responderName() == null ? "" : " by " + row.responderName()));
    }
    if (row.expiresAt() != null && row.expiresAt().isBefore(OffsetDateTime.now())) {
      throw new ApiException(HttpStatus.GONE, "request_expired", row.id() + " expired unanswered");
    }
    List<String> problems = HumanRequests.problems(row.toRequest(), answer);
    if (!problems.isEmpty()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_answer", String.join("; ", problems),
          Map.of("details", problems));
    }
  }

  private static ApiException refused(AnswerRefusedException e) {
    String type = e.failureType() == null ? "" : e.failureType();
    return switch (type) {
      case HitlFailures.ALREADY_RESOLVED -> new ApiException(HttpStatus.CONFLICT, "already_resolved", e.getMessage());
      case HitlFailures.REQUEST_EXPIRED -> new ApiException(HttpStatus.GONE, "request_expired", e.getMessage());
      case HitlFailures.REQUEST_NOT_FOUND -> ApiException.notFound("request (" + e.getMessage() + ")");
      default -> new ApiException(HttpStatus.BAD_REQUEST, "invalid_answer", e.getMessage());
    };
  }

  private static ApiException runEnded(RunRecord run) {
    return new ApiException(HttpStatus.GONE, "run_ended",
        "run " + run.id() + " is " + run.status() + ": nobody waits for this answer any more",
        Map.of("run_id", run.id()));
  }

  private static Reply queued(HumanRequestRecord row, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", row.id());
    body.put("status", "submitted");
    body.put("message", message);
    body.put("status_url", ("question".equals(row.kind()) ? "/api/v1/questions/" : "/api/v1/approvals/") + row.id());
    return new Reply(HttpStatus.ACCEPTED, body);
  }

  /** The row the run wrote before completing the update; its resolution is the truth if the read races it. */
  private Map<String, Object> resolvedView(Caller caller, HumanRequestRecord before, HumanResolution resolution) {
    Map<String, Object> view = HumanRequestViews.of(requests.find(caller.orgId(), before.id()).orElse(before));
    if (HumanRequestRecord.PENDING.equals(view.get("status"))) {
      view.put("status", resolution.status());
      view.put("decision", resolution.decision());
      view.put("comment", resolution.comment());
    }
    return view;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
