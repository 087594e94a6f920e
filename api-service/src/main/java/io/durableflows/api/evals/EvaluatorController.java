package io.durableflows.api.evals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The evaluators of a flow: {@code /api/v1/flows/{slug}/evaluators}. */
@RestController
@RequestMapping("/api/v1/flows/{slug}/evaluators")
class EvaluatorController {
  private final Evaluators evaluators;
  private final FlowService flows;

  EvaluatorController(Evaluators evaluators, FlowService flows) {
    this.evaluators = evaluators;
    this.flows = flows;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @PathVariable String slug,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    FlowRecord flow = flows.require(caller.orgId(), slug);
    return ResponseEntity.status(HttpStatus.CREATED).body(evaluators.create(caller.orgId(), flow, body).view());
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @PathVariable String slug) {
    caller.require("flows:read");
    FlowRecord flow = flows.require(caller.orgId(), slug);
    return Map.of("data", evaluators.list(caller.orgId(), flow).stream().map(Evaluators.Evaluator::view).toList());
  }

  @GetMapping("/{evaluatorId}")
  Map<String, Object> get(Caller caller, @PathVariable String slug, @PathVariable String evaluatorId) {
    caller.require("flows:read");
    return evaluators.require(caller.orgId(), flows.require(caller.orgId(), slug), evaluatorId).view();
  }

  @PutMapping("/{evaluatorId}")
  Map<String, Object> replace(Caller caller, @PathVariable String slug, @PathVariable String evaluatorId,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    return evaluators.replace(caller.orgId(), flows.require(caller.orgId(), slug), evaluatorId, body).view();
  }

  @DeleteMapping("/{evaluatorId}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String slug, @PathVariable String evaluatorId) {
    caller.require("flows:write");
    evaluators.delete(caller.orgId(), flows.require(caller.orgId(), slug), evaluatorId);
    return ResponseEntity.noContent().build();
  }
}
