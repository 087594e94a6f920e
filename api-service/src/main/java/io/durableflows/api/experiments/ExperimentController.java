package io.durableflows.api.experiments;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.experiments.ExperimentRepository.Row;
import io.durableflows.api.experiments.ExperimentRepository.Verdict;
import io.durableflows.api.support.Cursors;
import io.durableflows.api.support.Pages;
import io.durableflows.workflows.llm.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Experiments: a flow release over a dataset with evaluators, its progress and report while it runs and after,
 * its rows, and two experiments over the same dataset side by side.
 */
@RestController
@RequestMapping("/api/v1/experiments")
class ExperimentController {
  private static final int MAX_PAGE_SIZE = 500;
  private final Experiments service;
  private final ExperimentRepository experiments;

  ExperimentController(Experiments service, ExperimentRepository experiments) {
    this.service = service;
    this.experiments = experiments;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody Map<String, Object> body) {
    ExperimentRecord experiment = service.create(caller, body);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .header("Location", "/api/v1/experiments/" + experiment.id())
        .body(view(experiment, true));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 100);
    Cursors.Position after = Cursors.decode(cursor);
    List<ExperimentRecord> page = experiments.page(caller.orgId(), after == null ? null : after.createdAt(),
        after == null ? null : after.id(), limit + 1);
    Map<String, Map<String, Integer>> counts = experiments.counts(page.stream().map(ExperimentRecord::id).toList());
    return Cursors.page(page, limit, e -> new Cursors.Position(e.createdAt(), e.id()),
        e -> view(e, counts.getOrDefault(e.id(), Map.of()), false));
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(service.require(caller, id), true);
  }

  @GetMapping("/{id}/rows")
  Map<String, Object> rows(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "1") int page,
      @RequestParam(name = "page_size", defaultValue = "50") int pageSize) {
    caller.require("runs:read");
    Pages.Page at = Pages.of(page, pageSize, MAX_PAGE_SIZE);
    ExperimentRecord experiment = service.require(caller, id);
    Map<String, Integer> counts = experiments.counts(experiment.id());
    int finished = counts.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("experiment_id", experiment.id());
    out.put("status", experiment.status());
    out.put("total", experiment.total());
    out.put("finished", finished);
    out.put("page", page);
    out.put("page_size", pageSize);
    out.put("data", experiments.rowPage(experiment.id(), at.sqlOffset(), pageSize).stream()
        .map(ExperimentController::rowView).toList());
    out.put("has_more", (long) page * pageSize < finished);
    return out;
  }

  @PostMapping("/{id}/cancel")
  ResponseEntity<Map<String, Object>> cancel(Caller caller, @PathVariable String id) throws InterruptedException {
    Experiments.Cancelled cancelled = service.cancel(caller, id);
    return ResponseEntity.status(cancelled.settled() ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .body(view(cancelled.experiment(), true));
  }

  /**
   * Two experiments over the same dataset (400 {@code dataset_mismatch} otherwise), row by row: both outputs,
   * scores and verdicts and whether b improved or regressed on a; and both reports with b − a.
   */
  @GetMapping("/compare")
  Map<String, Object> compare(Caller caller, @RequestParam String a, @RequestParam String b,
      @RequestParam(defaultValue = "1") int page, @RequestParam(name = "page_size", defaultValue = "50") int pageSize) {
    caller.require("runs:read");
    Pages.Page at = Pages.of(page, pageSize, MAX_PAGE_SIZE);
    ExperimentRecord left = service.require(caller, a);
    ExperimentRecord right = service.require(caller, b);
    if (!left.datasetId().equals(right.datasetId())) {
      throw ApiException.badRequest("dataset_mismatch", "experiments compare row by row only over the same dataset: '"
          + a + "' ran dataset '" + left.datasetId() + "', '" + b + "' ran '" + right.datasetId() + "'");
    }
    Map<Integer, Verdict> va = experiments.verdicts(left.id());
    Map<Integer, Verdict> vb = experiments.verdicts(right.id());
    TreeSet<Integer> indexes = new TreeSet<>(va.keySet());
    indexes.addAll(vb.keySet());
    Map<String, Integer> changes = new LinkedHashMap<>();
    changes.put(ExperimentComparison.IMPROVED, 0);
    changes.put(ExperimentComparison.REGRESSED, 0);
    changes.put(ExperimentComparison.UNCHANGED, 0);
    for (int index : indexes) {
      String change = ExperimentComparison.change(va.get(index), vb.get(index));
      if (change != null) changes.merge(change, 1, Integer::sum);
    }
    List<Integer> shown = indexes.stream().skip(at.offset()).limit(pageSize).toList();
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!shown.isEmpty()) {
      Map<Integer, Row> ra = byIndex(experiments.rows(left.id(), shown.getFirst(), shown.getLast() + 1));
      Map<Integer, Row> rb = byIndex(experiments.rows(right.id(), shown.getFirst(), shown.getLast() + 1));
      for (int index : shown) {
        Row x = ra.get(index);
        Row y = rb.get(index);
        Row any = x != null ? x : y;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", index);
        row.put("input", any.input());
        row.put("expected", any.expected());
        row.put("a", x == null ? null : side(x));
        row.put("b", y == null ? null : side(y));
        row.put("change", ExperimentComparison.change(va.get(index), vb.get(index)));
        rows.add(row);
      }
    }
    Map<String, Object> summaryA = summary(left);
    Map<String, Object> summaryB = summary(right);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("a", brief(left, summaryA));
    out.put("b", brief(right, summaryB));
    out.put("dataset_id", left.datasetId());
    out.put("deltas", ExperimentSummary.deltas(summaryA, summaryB));
    out.put("changes", changes);
    out.put("page", page);
    out.put("page_size", pageSize);
    out.put("rows", rows);
    out.put("has_more", (long) page * pageSize < indexes.size());
    return out;
  }

  private static Map<Integer, Row> byIndex(List<Row> rows) {
    Map<Integer, Row> out = new LinkedHashMap<>();
    rows.forEach(r -> out.put(r.index(), r));
    return out;
  }

  private Map<String, Object> summary(ExperimentRecord experiment) {
    Map<String, Object> summary = ExperimentSummary.of(experiments.stats(experiment.id()));
    summary.put("evaluators", experiments.byEvaluator(experiment.id()));
    return summary;
  }

  private Map<String, Object> brief(ExperimentRecord e, Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id());
    out.put("name", e.name());
    out.put("flow", e.flowSlug());
    out.put("version", e.version());
    out.put("status", e.status());
    out.put("progress", progress(e, experiments.counts(e.id())));
    out.put("summary", summary);
    return out;
  }

  private static Map<String, Object> progress(ExperimentRecord e, Map<String, Integer> counts) {
    int done = counts.getOrDefault("completed", 0);
    int failed = counts.getOrDefault("failed", 0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", e.total());
    out.put("done", done);
    out.put("failed", failed);
    out.put("percent", e.total() == 0 ? 100.0 : Math.round(1000.0 * (done + failed) / e.total()) / 10.0);
    return out;
  }

  private Map<String, Object> view(ExperimentRecord e, boolean full) {
    return view(e, experiments.counts(e.id()), full);
  }

  private Map<String, Object> view(ExperimentRecord e, Map<String, Integer> counts, boolean full) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id());
    out.put("object", "experiment");
    out.put("name", e.name());
    out.put("status", e.status());
    out.put("flow", e.flowSlug());
    out.put("version", e.version());
    out.put("release_id", e.releaseId());
    out.put("dataset_id", e.datasetId());
    out.put("evaluators", e.evaluators().stream().map(s -> {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("id", s.id());
      spec.put("name", s.name());
      spec.put("kind", s.kind());
      return spec;
    }).toList());
    out.put("concurrency", e.concurrency());
    out.put("progress", progress(e, counts));
    if (full) out.put("summary", summary(e));
    out.put("error", e.errorMessage());
    out.put("workflow_id", e.workflowId());
    out.put("created_at", e.createdAt());
    out.put("finished_at", e.finishedAt());
    out.put("status_url", "/api/v1/experiments/" + e.id());
    out.put("rows_url", "/api/v1/experiments/" + e.id() + "/rows");
    out.put("cancel_url", "/api/v1/experiments/" + e.id() + "/cancel");
    return out;
  }

  private static Map<String, Object> side(Row r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", r.status());
    out.put("output", r.output());
    out.put("score", r.score());
    out.put("passed", r.passed());
    out.put("evaluations", evaluations(r));
    out.put("error", error(r));
    return out;
  }

  private static Map<String, Object> rowView(Row r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", r.index());
    out.put("status", r.status());
    out.put("run_id", r.runId());
    out.put("input", r.input());
    out.put("expected", r.expected());
    out.put("output", r.output());
    out.put("latency_ms", r.latencyMs());
    out.put("usage", new Usage(r.promptTokens(), r.completionTokens()).fields());
    out.put("cost_usd", r.costUsd());
    out.put("score", r.score());
    out.put("passed", r.passed());
    out.put("evaluations", evaluations(r));
    Map<String, Object> spent = new LinkedHashMap<>();
    spent.put("total_tokens", r.evalTokens());
    spent.put("cost_usd", r.evalCostUsd());
    out.put("evaluation_usage", spent);
    out.put("error", error(r));
    return out;
  }

  /** Each evaluation as the eval job reported it, in the API's field names. */
  private static List<Map<String, Object>> evaluations(Row r) {
    return r.evaluations().stream().map(e -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("evaluator_id", e.get("evaluatorId"));
      out.put("name", e.get("name"));
      out.put("kind", e.get("kind"));
      out.put("score", e.get("score"));
      out.put("passed", e.get("passed"));
      out.put("reason", e.get("reason"));
      out.put("error", e.get("error"));
      return out;
    }).toList();
  }

  private static Map<String, Object> error(Row r) {
    if (r.errorType() == null && r.errorMessage() == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", r.errorType());
    out.put("message", r.errorMessage());
    return out;
  }
}
