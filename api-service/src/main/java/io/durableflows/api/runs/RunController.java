package io.durableflows.api.runs;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.TemporalGateway;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Native run reads, always from PostgreSQL (never from Temporal visibility). */
@RestController
@RequestMapping("/api/v1/runs")
class RunController {
  private static final Set<String> STATUSES = Set.of("running", "completed", "failed", "lost");
  private final RunRepository runs;
  private final TemporalGateway temporal;

  RunController(RunRepository runs, TemporalGateway temporal) {
    this.runs = runs;
    this.temporal = temporal;
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(runs.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("run '" + id + "'")), true);
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String flow,
      @RequestParam(required = false) String status, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    if (limit < 1 || limit > 100) throw ApiException.badRequest("invalid_request", "limit must be between 1 and 100");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest("invalid_request", "status must be one of " + STATUSES);
    }
    OffsetDateTime afterCreated = null;
    String afterId = null;
    if (cursor != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
        afterCreated = OffsetDateTime.parse(parts[0]);
        afterId = parts[1];
      } catch (RuntimeException e) {
        throw ApiException.badRequest("invalid_request", "cursor is not one this API returned");
      }
    }
    List<RunRecord> page = runs.page(caller.orgId(), flow, status, afterCreated, afterId, limit + 1);
    String next = null;
    if (page.size() > limit) {
      page = page.subList(0, limit);
      RunRecord last = page.get(limit - 1);
      next = Base64.getUrlEncoder().withoutPadding()
          .encodeToString((last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", page.stream().map(r -> view(r, false)).toList());
    out.put("next_cursor", next);
    return out;
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
    out.put("status", r.status());
    out.put("created_at", r.createdAt());
    out.put("started_at", r.startedAt());
    out.put("finished_at", r.finishedAt());
    out.put("duration_ms", r.durationMs());
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", r.promptTokens());
    usage.put("completion_tokens", r.completionTokens());
    usage.put("total_tokens", r.totalTokens());
    out.put("usage", usage);
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
    if (full) {
      out.put("input", r.input());
      out.put("metadata", r.metadata());
      out.put("output", r.output());
    }
    return out;
  }
}
