package io.durableflows.api.agents;

import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route over one resource that files, batches, datasets, experiments, evaluators and eval jobs added: an id
 * the caller's own org does not have is a 404 {@code not_found} (another org's ids are each feature's own tests).
 */
class UnknownIdsTest extends AgentApiTest {
  private static final Map<String, Object> EVALUATOR =
      Map.of("name", "exact", "kind", "exact", "config", Map.of("expected", "4"));

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("GET", "/api/v1/files/file_nope", null),
        Arguments.of("DELETE", "/api/v1/files/file_nope", null),
        Arguments.of("GET", "/api/v1/batches/bat_nope", null),
        Arguments.of("GET", "/api/v1/batches/bat_nope/output", null),
        Arguments.of("POST", "/api/v1/batches/bat_nope/cancel", Map.of()),
        Arguments.of("GET", "/api/v1/datasets/file_nope", null),
        Arguments.of("DELETE", "/api/v1/datasets/file_nope", null),
        Arguments.of("GET", "/api/v1/experiments/exp_nope", null),
        Arguments.of("GET", "/api/v1/experiments/exp_nope/rows", null),
        Arguments.of("POST", "/api/v1/experiments/exp_nope/cancel", Map.of()),
        Arguments.of("GET", "/api/v1/experiments/compare?a=exp_nope&b=exp_nope", null),
        Arguments.of("GET", "/api/v1/eval-jobs/evj_nope", null),
        Arguments.of("GET", "/api/v1/flows/helper/evaluators/evl_nope", null),
        Arguments.of("PUT", "/api/v1/flows/helper/evaluators/evl_nope", EVALUATOR),
        Arguments.of("DELETE", "/api/v1/flows/helper/evaluators/evl_nope", null),
        Arguments.of("POST", "/api/v1/flows/nope/evaluators", EVALUATOR),
        Arguments.of("POST", "/api/v1/runs/run_nope/evaluations", Map.of()));
  }

  private Http.Response send(String method, String path, String token, Object body) {
    return switch (method) {
      case "GET" -> http.get(path, token);
      case "DELETE" -> http.delete(path, token);
      case "PUT" -> http.put(path, token, body);
      default -> http.post(path, token, body);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void route_withAnIdTheOrgDoesNotHave_returns404(String method, String path, Object body) {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));

    assertError(send(method, path, org.token(), body), 404, "not_found");
  }
}
