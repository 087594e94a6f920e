package io.durableflows.api.evals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared steps of the evaluation API tests: flows, evaluators, flow requests with evalOptions, eval jobs. */
abstract class EvalApiTest extends ApiTest {
  /** The offline model answers qa-raw with this, followed by the question. */
  static final String OFFLINE_ANSWER = "Offline answer to";

  Http.Response createEvaluator(TestOrg org, String flow, Map<String, Object> body) {
    return http.post("/api/v1/flows/" + flow + "/evaluators", org.token(), body);
  }

  String evaluator(TestOrg org, String flow, String name, String kind, Map<String, Object> config, boolean autoRun) {
    Http.Response r = createEvaluator(org, flow, Map.of("name", name, "kind", kind, "config", config,
        "autoRun", autoRun));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().path("id").asText();
  }

  static String flowRequestPath(TestOrg org, String flow) {
    return "/api/v1/accounts/" + org.code() + "/projects/default/flows/" + flow + "/run";
  }

  Http.Response flowRequest(TestOrg org, String flow, String question, Object evalOptions) {
    Map<String, Object> options = new HashMap<>();
    if (evalOptions != null) options.put("evalOptions", evalOptions);
    return http.post(flowRequestPath(org, flow), org.token(), Map.of("body", Map.of("question", question),
        "options", options));
  }

  static Map<String, Object> select(String flowEvalId, Map<String, Object> externalInput) {
    Map<String, Object> run = new HashMap<>();
    run.put("flowEvalId", flowEvalId);
    if (externalInput != null) run.put("flowEvalExternalInput", externalInput);
    return run;
  }

  static Map<String, Object> block(Object... runs) {
    return Map.of("runMode", "block", "runs", List.of(runs));
  }

  /** The job once it has finished (completed or failed), polled without assuming how long it takes. */
  JsonNode finishedJob(TestOrg org, String jobId) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      JsonNode job = http.get("/api/v1/eval-jobs/" + jobId, org.token()).json();
      String status = job.path("status").asText();
      if (status.equals("completed") || status.equals("failed")) return job;
      Thread.sleep(100);
    }
    throw new AssertionError("eval job " + jobId + " did not finish");
  }

  int runCount(TestOrg org) {
    return http.get("/api/v1/runs?limit=100", org.token()).json().path("data").size();
  }

  /** A published evaluation flow: its output is a verdict built from what it is given. */
  void publishGrader(TestOrg org) {
    Map<String, Object> grader = Map.of("slug", "grader", "nodes", List.of(
        Map.of("id", "input", "type", "input", "data", Map.of("variables", List.of(
            Map.of("name", "output", "type", "string", "required", true),
            Map.of("name", "expected", "type", "string")))),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "json_template",
            "template", Map.of("score", 0.9, "passed", true, "reason", "graded: {{input.output}}")))),
        "edges", List.of(Map.of("source", "input", "target", "output")));
    Http.Response created = http.post("/api/v1/flows", org.token(), grader);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Http.Response published = http.post("/api/v1/flows/grader/releases", org.token(), Map.of());
    assertThat(published.status()).as(published.body()).isEqualTo(201);
  }
}
