package io.durableflows.api.evals;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /api/v1/flows/{slug}/evaluators}: CRUD and validation per kind. */
class EvaluatorsApiTest extends EvalApiTest {

  @Test
  void evaluators_createListGetReplaceDelete() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response created = createEvaluator(org, "qa-raw", Map.of("name", "mentions paris", "kind", "contains",
        "config", Map.of("expected", "Paris"), "autoRun", true));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(id).startsWith("evl_");
    assertThat(created.json().path("flow").asText()).isEqualTo("qa-raw");
    assertThat(created.json().path("auto_run").asBoolean()).isTrue();
    assertThat(created.json().path("config").path("expected").asText()).isEqualTo("Paris");

    assertThat(http.get("/api/v1/flows/qa-raw/evaluators", org.token()).json().path("data"))
        .extracting(n -> n.path("id").asText()).containsExactly(id);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, org.token()).json().path("kind").asText())
        .isEqualTo("contains");

    Http.Response replaced = http.put("/api/v1/flows/qa-raw/evaluators/" + id, org.token(), Map.of(
        "name", "exactly paris", "kind", "exact", "config", Map.of("expected", "Paris")));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().path("kind").asText()).isEqualTo("exact");
    assertThat(replaced.json().path("auto_run").asBoolean()).isFalse();

    assertThat(http.delete("/api/v1/flows/qa-raw/evaluators/" + id, org.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, org.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/flows/qa-raw/evaluators/" + id, org.token()).status()).isEqualTo(404);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of("name", "x", "kind", "vibes"), "kind"),
        Arguments.of(Map.of("kind", "exact"), "name"),
        Arguments.of(Map.of("name", "x", "kind", "regex", "config", Map.of("pattern", "(unclosed")), "config.pattern"),
        Arguments.of(Map.of("name", "x", "kind", "regex"), "config.pattern"),
        Arguments.of(Map.of("name", "x", "kind", "json_schema", "config", Map.of("schema", Map.of("type", 12))),
            "config.schema"),
        Arguments.of(Map.of("name", "x", "kind", "llm_judge", "config", Map.of("rubric", "ok", "min", 5, "max", 5)),
            "config.min"),
        Arguments.of(Map.of("name", "x", "kind", "llm_judge", "config", Map.of("min", 0, "max", 1)), "config.rubric"),
        Arguments.of(Map.of("name", "x", "kind", "numeric", "config", Map.of("tolerance", -1)), "config.tolerance"),
        Arguments.of(Map.of("name", "x", "kind", "exact", "config", Map.of("expexted", "typo")), "config.expexted"),
        Arguments.of(Map.of("name", "x", "kind", "flow", "config", Map.of("flow", "nowhere")), "config.flow"),
        Arguments.of(Map.of("name", "x", "kind", "flow", "config", Map.of("flow", "qa-raw")), "config.flow"),
        Arguments.of(Map.of("name", "x", "kind", "exact", "autoRun", "yes"), "autoRun"),
        Arguments.of(Map.of("name", "x", "kind", "exact", "config", "Paris"), "config"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void create_withInvalidEvaluator_returns400NamingTheField_andStoresNothing(Map<String, Object> body, String field) {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = createEvaluator(org, "qa-raw", body);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_evaluator");
    assertThat(r.json().path("details")).extracting(d -> d.path("field").asText()).contains(field);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void create_flowEvaluatorNamingAPublishedFlow_isAccepted() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publishGrader(org);

    assertThat(createEvaluator(org, "qa-raw", Map.of("name", "grade", "kind", "flow",
        "config", Map.of("flow", "grader"))).status()).isEqualTo(201);
  }

  @Test
  void replace_withInvalidEvaluator_returns400_andKeepsTheOldOne() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "exact", "exact", Map.of("expected", "Paris"), false);

    Http.Response r = http.put("/api/v1/flows/qa-raw/evaluators/" + id, org.token(),
        Map.of("name", "x", "kind", "regex", "config", Map.of("pattern", "[")));

    assertThat(r.status()).isEqualTo(400);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, org.token()).json().path("kind").asText())
        .isEqualTo("exact");
  }

  @Test
  void evaluators_ofAnotherOrgsFlow_areNotFound() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createExample(owner, "qa-raw");
    String id = evaluator(owner, "qa-raw", "exact", "exact", Map.of("expected", "Paris"), false);

    assertThat(http.get("/api/v1/flows/qa-raw/evaluators", other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, other.token()).status()).isEqualTo(404);
    createExample(other, "qa-raw");
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/flows/qa-raw/evaluators/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/flows/qa-raw/evaluators/" + id, owner.token()).status()).isEqualTo(200);
  }

  @Test
  void create_withoutWriteScope_isForbidden() {
    TestOrg org = newOrg(List.of("flows:read", "runs:read"));

    assertThat(createEvaluator(org, "qa-raw", Map.of("name", "x", "kind", "exact")).status()).isEqualTo(403);
  }
}
