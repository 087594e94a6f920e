package io.durableflows.api.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two releases of one flow over one dataset, evaluated by a {@code contains} evaluator against each row's expected
 * answer: with the offline model, release 1.0.0 passes 1 row of 4 and 2.0.0 passes 3 (see {@link #QA_DATASET}).
 */
class ExperimentCompareTest extends ExperimentApiTest {
  private String containsEvaluator(TestOrg org, String flow, boolean autoRun) {
    return ok(http.post("/api/v1/flows/" + flow + "/evaluators", org.token(),
        Map.of("name", "mentions the answer", "kind", "contains", "autoRun", autoRun)), 201).path("id").asText();
  }

  @Test
  void compare_ofTwoReleases_showsPassRatesDeltasAndWhichRowsImproved() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String evaluator = containsEvaluator(org, "qa", true);
    String dataset = uploadDataset(org, QA_DATASET);
    String a = start(org, Map.of("flow", "qa", "version", "1.0.0", "dataset_id", dataset)).path("id").asText();
    String b = start(org, Map.of("flow", "qa", "version", "2.0.0", "dataset_id", dataset,
        "evaluators", List.of(evaluator))).path("id").asText();
    JsonNode first = finished(org, a);
    JsonNode second = finished(org, b);
    assertThat(first.path("evaluators").findValuesAsText("id")).as("the auto-run one").containsExactly(evaluator);
    assertThat(first.path("summary").path("pass_rate").asDouble()).isEqualTo(0.25);
    assertThat(second.path("summary").path("pass_rate").asDouble()).isEqualTo(0.75);

    Http.Response r = http.get("/api/v1/experiments/compare?a=" + a + "&b=" + b, org.token());

    JsonNode compare = ok(r, 200);
    assertThat(compare.path("a").path("version").asText()).isEqualTo("1.0.0");
    assertThat(compare.path("b").path("version").asText()).isEqualTo("2.0.0");
    assertThat(compare.path("deltas").path("pass_rate").asDouble()).isEqualTo(0.5);
    assertThat(compare.path("deltas").path("score_mean").asDouble()).isEqualTo(0.5);
    assertThat(compare.path("changes").path("improved").asInt()).isEqualTo(2);
    assertThat(compare.path("changes").path("regressed").asInt()).isZero();
    assertThat(compare.path("changes").path("unchanged").asInt()).isEqualTo(2);
    JsonNode rows = compare.path("rows");
    assertThat(rows.findValuesAsText("change")).containsExactly("improved", "improved", "unchanged", "unchanged");
    JsonNode paris = rows.get(0);
    assertThat(paris.path("expected").asText()).isEqualTo("Paris");
    assertThat(paris.path("a").path("passed").asBoolean()).isFalse();
    assertThat(paris.path("b").path("passed").asBoolean()).isTrue();
    assertThat(paris.path("b").path("output").asText()).contains("Paris is the capital of France.");
    assertThat(paris.path("a").path("evaluations").get(0).path("reason").asText()).contains("does not contain");
  }

  @Test
  void experiment_withContainsEvaluator_reportsScoresHistogramAndPerEvaluatorPassRate() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String evaluator = containsEvaluator(org, "qa", false);
    String dataset = uploadDataset(org, QA_DATASET);

    JsonNode done = finished(org, start(org, Map.of("flow", "qa", "version", "2.0.0", "dataset_id", dataset,
        "evaluators", List.of(evaluator))).path("id").asText());

    JsonNode summary = done.path("summary");
    assertThat(summary.path("passed").asInt()).isEqualTo(3);
    assertThat(summary.path("score").path("mean").asDouble()).isEqualTo(0.75);
    assertThat(summary.path("score").path("min").asDouble()).isEqualTo(0.0);
    assertThat(summary.path("score").path("max").asDouble()).isEqualTo(1.0);
    JsonNode buckets = summary.path("score").path("distribution");
    assertThat(buckets).hasSize(10);
    assertThat(buckets.get(0).path("count").asInt()).isEqualTo(1);
    assertThat(buckets.get(9).path("count").asInt()).isEqualTo(3);
    assertThat(summary.path("evaluators").get(0).path("evaluator_id").asText()).isEqualTo(evaluator);
    assertThat(summary.path("evaluators").get(0).path("pass_rate").asDouble()).isEqualTo(0.75);
    JsonNode row = ok(http.get("/api/v1/experiments/" + done.path("id").asText() + "/rows", org.token()), 200)
        .path("data").get(3);
    assertThat(row.path("passed").asBoolean()).isFalse();
    assertThat(row.path("evaluations").get(0).path("kind").asText()).isEqualTo("contains");
    assertThat(row.path("evaluations").get(0).path("reason").asText()).contains("Shakespeare");
  }

  @Test
  void create_withAnUnknownEvaluator_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String dataset = uploadDataset(org, QA_DATASET);
    createTwoReleases(org, "other");
    String ofAnotherFlow = containsEvaluator(org, "other", true);

    Http.Response r = http.post("/api/v1/experiments", org.token(),
        Map.of("flow", "qa", "dataset_id", dataset, "evaluators", List.of("evl_nope", ofAnotherFlow)));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").findValuesAsText("field")).containsExactly("evaluators[0]", "evaluators[1]");
    assertThat(experimentCount(org)).isZero();
    assertThat(runCount(org)).isZero();
  }
}
