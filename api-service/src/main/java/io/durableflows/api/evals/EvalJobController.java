package io.durableflows.api.evals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Eval jobs: read one, or evaluate a run that already completed. */
@RestController
@RequestMapping("/api/v1")
class EvalJobController {
  private final EvalJobs jobs;
  private final RunRepository runs;
  private final FlowService flows;

  EvalJobController(EvalJobs jobs, RunRepository runs, FlowService flows) {
    this.jobs = jobs;
    this.runs = runs;
    this.flows = flows;
  }

  @GetMapping("/eval-jobs/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return jobs.view(caller.orgId(), id);
  }

  /**
   * Evaluates a completed run with the evaluations {@code runs} selects (as 001's {@code evalOptions.runs}; absent:
   * the flow's autoRun evaluators): 202 with the job.
   */
  @PostMapping("/runs/{id}/evaluations")
  ResponseEntity<Map<String, Object>> evaluate(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    RunRecord run = runs.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("run '" + id + "'"));
    FlowRecord flow = flows.find(caller.orgId(), run.flowId())
        .orElseThrow(() -> ApiException.notFound("flow of run '" + id + "'"));
    Map<String, Object> options = new LinkedHashMap<>(body == null ? Map.of() : body);
    if (options.containsKey("runMode")) {
      throw ApiException.badRequest("invalid_request", "runMode does not apply here: the job always runs on its own");
    }
    EvalJobs.EvalPlan plan = jobs.plan(caller.orgId(), flow, options, "body");
    if (!"completed".equals(run.status())) {
      throw ApiException.conflict("run_not_completed", "only a completed run can be evaluated; run '" + id + "' is "
          + run.status());
    }
    if (!plan.runs()) {
      throw ApiException.badRequest("no_evaluations", "nothing to evaluate: select evaluations in runs, or give "
          + "flow '" + flow.slug() + "' autoRun evaluators");
    }
    String jobId = jobs.record(caller, plan, run.id(), run.flowSlug());
    jobs.start(caller, jobId, plan, run.id(), run.flowSlug(), run.input(), run.output());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.view(caller.orgId(), jobId));
  }
}
