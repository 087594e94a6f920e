package io.durableflows.api.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentRoutesTest extends ExperimentApiTest {
  @Test
  void experiment_runsEveryRowAsARunOfTheRelease_andReportsOutputsLatencyAndTokens() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String dataset = uploadDataset(org, QA_DATASET);

    JsonNode started = start(org, Map.of("flow", "qa", "version", "2.0.0", "dataset_id", dataset, "name", "ctx"));

    assertThat(started.path("id").asText()).startsWith("exp_");
    assertThat(started.path("status").asText()).isEqualTo("running");
    assertThat(started.path("progress").path("total").asInt()).isEqualTo(4);
    JsonNode done = finished(org, started.path("id").asText());
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("progress").path("done").asInt()).isEqualTo(4);
    assertThat(done.path("progress").path("failed").asInt()).isZero();
    assertThat(done.path("progress").path("percent").asDouble()).isEqualTo(100.0);
    assertThat(done.path("summary").path("latency_ms").path("p50").isNumber()).isTrue();
    assertThat(done.path("summary").path("latency_ms").path("p95").asLong())
        .isGreaterThanOrEqualTo(done.path("summary").path("latency_ms").path("p50").asLong());
    assertThat(done.path("summary").path("tokens").path("total").asLong()).isPositive();
    assertThat(done.path("summary").path("pass_rate").isNull()).as("no evaluators").isTrue();

    JsonNode rows = ok(http.get("/api/v1/experiments/" + started.path("id").asText() + "/rows?page_size=2",
        org.token()), 200);
    assertThat(rows.path("data")).hasSize(2);
    assertThat(rows.path("has_more").asBoolean()).isTrue();
    JsonNode first = rows.path("data").get(0);
    assertThat(first.path("index").asInt()).isZero();
    assertThat(first.path("expected").asText()).isEqualTo("Paris");
    assertThat(first.path("input").path("question").asText()).isEqualTo("What is the capital of France?");
    assertThat(first.path("output").asText()).contains("Paris is the capital of France. What is the capital");
    assertThat(first.path("usage").path("total_tokens").asLong()).isPositive();
    JsonNode run = ok(http.get("/api/v1/runs/" + first.path("run_id").asText(), org.token()), 200);
    assertThat(run.path("channel").asText()).isEqualTo("experiment");
    assertThat(run.path("version").asText()).isEqualTo("2.0.0");
    assertThat(run.path("status").asText()).isEqualTo("completed");
  }

  @Test
  void experiment_withARowItsFlowRefuses_recordsThatRowFailedAndCompletesTheRest() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String dataset = uploadDataset(org, """
        {"input": {"question": "What is the capital of France?"}, "expected": "Paris"}
        {"input": {"topic": "no question here"}, "expected": "x"}
        """);

    JsonNode done = finished(org, start(org, Map.of("flow", "qa", "dataset_id", dataset)).path("id").asText());

    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("version").asText()).as("the latest release").isEqualTo("2.0.0");
    assertThat(done.path("progress").path("done").asInt()).isEqualTo(1);
    assertThat(done.path("progress").path("failed").asInt()).isEqualTo(1);
    JsonNode failed = ok(http.get("/api/v1/experiments/" + done.path("id").asText() + "/rows", org.token()), 200)
        .path("data").get(1);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("InvalidRowInput");
    assertThat(failed.path("error").path("message").asText()).contains("question");
    assertThat(failed.path("run_id").isNull()).isTrue();
  }

  @Test
  void create_withUnknownFlowAndDataset_returns400WithEachFieldAndStartsNothing() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/experiments", org.token(),
        Map.of("flow", "nope", "dataset_id", "file_nope", "concurrency", 0, "evaluators", "evl_1"));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("flow", "dataset_id", "concurrency", "evaluators");
    assertThat(experimentCount(org)).isZero();
    assertThat(runCount(org)).isZero();
  }

  @Test
  void create_withUnknownRelease_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String dataset = uploadDataset(org, QA_DATASET);

    Http.Response r = http.post("/api/v1/experiments", org.token(),
        Map.of("flow", "qa", "version", "9.9.9", "dataset_id", dataset));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("version");
    assertThat(r.json().path("details").get(0).path("message").asText()).contains("9.9.9");
    assertThat(experimentCount(org)).isZero();
    assertThat(runCount(org)).isZero();
  }

  @Test
  void create_forAFlowWithoutRelease_returns400() {
    TestOrg org = newOrg();
    ok(http.post("/api/v1/flows", org.token(), qaFlow("draft-only", "{{input.question}}")), 201);
    String dataset = uploadDataset(org, QA_DATASET);

    Http.Response r = http.post("/api/v1/experiments", org.token(), Map.of("flow", "draft-only", "dataset_id", dataset));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").get(0).path("message").asText()).contains("no release");
    assertThat(experimentCount(org)).isZero();
  }

  @Test
  void create_withMissingFields_returns400NamingThem() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/experiments", org.token(), Map.of("name", 12));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").findValuesAsText("field")).containsExactlyInAnyOrder("flow", "dataset_id",
        "name");
  }

  @Test
  void create_withAnotherOrgsDataset_returns400AsUnknown() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createTwoReleases(org, "qa");
    String theirs = uploadDataset(other, QA_DATASET);

    Http.Response r = http.post("/api/v1/experiments", org.token(), Map.of("flow", "qa", "dataset_id", theirs));

    assertError(r, 400, "invalid_request");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("dataset_id");
    assertThat(experimentCount(org)).isZero();
  }

  @Test
  void experimentOfAnotherOrg_isNotFoundOnEveryRoute() throws Exception {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createTwoReleases(owner, "qa");
    String dataset = uploadDataset(owner, QA_DATASET);
    String id = start(owner, Map.of("flow", "qa", "dataset_id", dataset, "concurrency", 1)).path("id").asText();

    assertError(http.get("/api/v1/experiments/" + id, other.token()), 404, "not_found");
    assertError(http.get("/api/v1/experiments/" + id + "/rows", other.token()), 404, "not_found");
    assertError(http.post("/api/v1/experiments/" + id + "/cancel", other.token(), Map.of()), 404, "not_found");
    assertError(http.get("/api/v1/experiments/compare?a=" + id + "&b=" + id, other.token()), 404, "not_found");
    assertThat(experimentCount(other)).isZero();
    assertThat(finished(owner, id).path("status").asText()).as("untouched").isEqualTo("completed");
  }

  @Test
  void compare_overDifferentDatasets_returns400() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String a = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();
    String b = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();

    assertError(http.get("/api/v1/experiments/compare?a=" + a + "&b=" + b, org.token()), 400, "dataset_mismatch");
    finished(org, a);
    finished(org, b);
  }

  @Test
  void list_showsTheOrgsExperimentsNewestFirst() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String dataset = uploadDataset(org, QA_DATASET);
    String first = start(org, Map.of("flow", "qa", "version", "1.0.0", "dataset_id", dataset)).path("id").asText();
    String second = start(org, Map.of("flow", "qa", "version", "2.0.0", "dataset_id", dataset)).path("id").asText();

    JsonNode data = ok(http.get("/api/v1/experiments", org.token()), 200).path("data");

    assertThat(data.findValuesAsText("id")).containsExactly(second, first);
    assertThat(data.get(1).path("version").asText()).isEqualTo("1.0.0");
    finished(org, first);
    finished(org, second);
  }

  @Test
  void cancel_whileARowWaits_cancelsItsRunAndMarksTheExperimentCancelled() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    ok(http.post("/api/v1/flows/approval-demo/releases", org.token(), Map.of()), 201);
    String dataset = uploadDataset(org, """
        {"input": {"question": "May I?"}, "expected": "yes"}
        {"input": {"question": "And now?"}, "expected": "yes"}
        """);
    String id = start(org, Map.of("flow", "approval-demo", "dataset_id", dataset, "concurrency", 1))
        .path("id").asText();
    String runId = awaitWaitingRun(org);

    Http.Response r = http.post("/api/v1/experiments/" + id + "/cancel", org.token(), Map.of());

    assertThat(r.status()).as(r.body()).isIn(200, 202);
    JsonNode experiment = finished(org, id);
    assertThat(experiment.path("status").asText()).isEqualTo("cancelled");
    assertThat(experiment.path("finished_at").asText()).isNotBlank();
    assertThat(ok(http.get("/api/v1/runs/" + runId, org.token()), 200).path("status").asText())
        .isEqualTo("cancelled");
    assertThat(runCount(org)).as("no row started after the cancel").isEqualTo(1);
  }

  /** The experiment's first run, once it waits for its approval. */
  private String awaitWaitingRun(TestOrg org) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode runs = ok(http.get("/api/v1/runs?status=waiting", org.token()), 200).path("data");
      if (runs.size() > 0) return runs.get(0).path("id").asText();
      Thread.sleep(100);
    }
    throw new AssertionError("no experiment run waited for approval within 30 s");
  }

  @Test
  void cancel_ofAFinishedExperiment_returns409() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String id = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();
    finished(org, id);

    assertError(http.post("/api/v1/experiments/" + id + "/cancel", org.token(), Map.of()), 409, "not_active");
  }

  @Test
  void rows_withBadPaging_returns400() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String id = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();

    assertError(http.get("/api/v1/experiments/" + id + "/rows?page=0", org.token()), 400, "invalid_request");
    assertError(http.get("/api/v1/experiments/" + id + "/rows?page_size=501", org.token()), 400, "invalid_request");
    finished(org, id);
  }

  @Test
  void rows_pastTheLastPage_returnAnEmptyPage() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String id = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();
    finished(org, id);

    Http.Response r = http.get("/api/v1/experiments/" + id + "/rows?page=5000000&page_size=500", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("data").size()).isZero();
    assertThat(r.json().path("has_more").asBoolean()).isFalse();
  }
}
