package io.durableflows.api.evals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 001's {@code options.evalOptions} on flow requests, and eval jobs: the offline model answers qa-raw with
 * "Offline answer to ..." and judges by word overlap, so every verdict here is deterministic.
 */
class EvalJobsApiTest extends EvalApiTest {

  @Test
  void runModeBlock_waitsForTheEvaluations_andIncludesTheirResults() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String contains = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), false);
    String regex = evaluator(org, "qa-raw", "quotes", "regex", Map.of("pattern", "\"[^\"]+\""), false);

    Http.Response r = flowRequest(org, "qa-raw", "What is a release?",
        block(select(contains, null), select(regex, null)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(b.path("eval_job_id").asText()).startsWith("evj_");
    assertThat(b.path("eval_status").asText()).isEqualTo("completed");
    assertThat(b.path("evaluations")).extracting(e -> e.path("evaluator_id").asText()).containsExactly(contains,
        regex);
    assertThat(b.path("evaluations")).allSatisfy(e -> {
      assertThat(e.path("passed").asBoolean()).isTrue();
      assertThat(e.path("score").asDouble()).isEqualTo(1.0);
    });
    assertThat(b.path("eval_summary").path("passed").asInt()).isEqualTo(2);
    assertThat(b.path("response").path("text").asText()).startsWith(OFFLINE_ANSWER);
  }

  @Test
  void runModeAsync_answersWithTheJobId_andTheJobCompletesAfterwards() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), true);

    Http.Response r = flowRequest(org, "qa-raw", "What is a release?", Map.of("runMode", "async"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String jobId = r.json().path("eval_job_id").asText();
    assertThat(jobId).startsWith("evj_");
    assertThat(r.json().has("evaluations")).isFalse();
    JsonNode job = finishedJob(org, jobId);
    assertThat(job.path("status").asText()).isEqualTo("completed");
    assertThat(job.path("run_id").asText()).isEqualTo(r.json().path("id").asText());
    assertThat(job.path("flow").asText()).isEqualTo("qa-raw");
    assertThat(job.path("finished_at").isNull()).isFalse();
    assertThat(job.path("results")).hasSize(1);
    assertThat(job.path("results").get(0).path("passed").asBoolean()).isTrue();
    assertThat(job.path("summary").path("score_mean").asDouble()).isEqualTo(1.0);
  }

  @Test
  void noEvalOptions_runsTheAutoRunEvaluatorsOnly() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    evaluator(org, "qa-raw", "auto", "contains", Map.of("expected", "offline"), true);
    evaluator(org, "qa-raw", "manual", "exact", Map.of("expected", "never"), false);

    Http.Response r = flowRequest(org, "qa-raw", "Hi", null);

    JsonNode job = finishedJob(org, r.json().path("eval_job_id").asText());
    assertThat(job.path("results")).extracting(e -> e.path("name").asText()).containsExactly("auto");
  }

  @Test
  void runModeSkip_runsNoEvaluations() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    evaluator(org, "qa-raw", "auto", "contains", Map.of("expected", "offline"), true);

    Http.Response r = flowRequest(org, "qa-raw", "Hi", Map.of("runMode", "skip"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("eval_job_id").isNull()).isTrue();
  }

  @Test
  void aFlowWithoutEvaluators_answersWithoutAJob() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = flowRequest(org, "qa-raw", "Hi", Map.of("runMode", "block"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("eval_job_id").isNull()).isTrue();
    assertThat(r.json().has("evaluations")).isFalse();
  }

  @Test
  void externalInput_expectedAnswerInTheOutput_passes_andAnotherFails() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "expected answer", "contains", Map.of(), false);

    JsonNode passes = flowRequest(org, "qa-raw", "Where is Paris?",
        block(select(id, Map.of("expected", "Where is Paris?")))).json();
    JsonNode fails = flowRequest(org, "qa-raw", "Where is Paris?",
        block(select(id, Map.of("expected", "It is in France")))).json();

    assertThat(passes.path("evaluations").get(0).path("passed").asBoolean()).isTrue();
    assertThat(fails.path("evaluations").get(0).path("passed").asBoolean()).isFalse();
    assertThat(fails.path("evaluations").get(0).path("reason").asText()).contains("It is in France");
    assertThat(fails.path("eval_summary").path("failed").asInt()).isEqualTo(1);
  }

  @Test
  void offlineJudge_scoresTheOutputAgainstTheExpectedAnswer_withTokens() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String judge = evaluator(org, "qa-raw", "judge", "llm_judge",
        Map.of("rubric", "The answer repeats the question.", "min", 0, "max", 1), false);

    JsonNode b = flowRequest(org, "qa-raw", "What is durable execution?",
        block(select(judge, Map.of("expected", "durable execution")))).json();

    JsonNode verdict = b.path("evaluations").get(0);
    assertThat(verdict.path("error").isNull()).as(verdict.toString()).isTrue();
    assertThat(verdict.path("score").asDouble()).isEqualTo(1.0);
    assertThat(verdict.path("passed").asBoolean()).isTrue();
    assertThat(verdict.path("reason").asText()).contains("offline judge");
    assertThat(verdict.path("tokens").path("total").asLong()).isPositive();
    assertThat(b.path("eval_summary").path("tokens").path("total").asLong())
        .isEqualTo(verdict.path("tokens").path("total").asLong());
  }

  @Test
  void aFailingEvaluation_isRecordedWithItsError_andTheOthersStillScore() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String exact = evaluator(org, "qa-raw", "needs expected", "exact", Map.of(), false);
    String contains = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline"), false);

    JsonNode b = flowRequest(org, "qa-raw", "Hi", block(select(exact, null), select(contains, null))).json();

    assertThat(b.path("eval_status").asText()).isEqualTo("completed");
    assertThat(b.path("evaluations").get(0).path("error").asText()).startsWith("InvalidEvaluator");
    assertThat(b.path("evaluations").get(0).path("passed").isNull()).isTrue();
    assertThat(b.path("evaluations").get(1).path("passed").asBoolean()).isTrue();
    assertThat(b.path("eval_summary").path("errored").asInt()).isEqualTo(1);
  }

  @Test
  void aPublishedFlowUsedAdHoc_runsAsAChildRunOfTheEvaluatedRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    publishGrader(org);

    JsonNode b = flowRequest(org, "qa-raw", "Hi", block(select("grader", Map.of("expected", "hello")))).json();

    JsonNode verdict = b.path("evaluations").get(0);
    assertThat(verdict.path("error").isNull()).as(verdict.toString()).isTrue();
    assertThat(verdict.path("kind").asText()).isEqualTo("flow");
    assertThat(verdict.path("score").asDouble()).isEqualTo(0.9);
    assertThat(verdict.path("reason").asText()).startsWith("graded: " + OFFLINE_ANSWER);
    JsonNode children = http.get("/api/v1/runs?parent=" + b.path("id").asText(), org.token()).json();
    assertThat(children.path("data")).extracting(c -> c.path("flow").asText()).containsExactly("grader");
  }

  @Test
  void anEvaluationFlowWhoseOutputCarriesNoScore_isRecordedAsAnError() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of()).status()).isEqualTo(201);

    JsonNode b = flowRequest(org, "qa-raw", "Hi", block(select("qa-raw", null))).json();

    JsonNode verdict = b.path("evaluations").get(0);
    assertThat(verdict.path("error").asText()).startsWith("EvalFlowWithoutScore");
    assertThat(verdict.path("score").isNull()).isTrue();
    assertThat(b.path("eval_status").asText()).isEqualTo("completed");
  }

  static Stream<Arguments> badEvalOptions() {
    return Stream.of(
        Arguments.of(Map.of("runMode", "later"), "options.evalOptions.runMode"),
        Arguments.of(Map.of("runs", "all"), "options.evalOptions.runs"),
        Arguments.of(Map.of("runs", List.of(Map.of("flowEvalId", "evl_nope"))), "options.evalOptions.runs[0].flowEvalId"),
        Arguments.of(Map.of("runs", List.of(Map.of("flowEvalId", "no-such-flow"))),
            "options.evalOptions.runs[0].flowEvalId"),
        Arguments.of(Map.of("runs", List.of(Map.of())), "options.evalOptions.runs[0].flowEvalId"),
        Arguments.of(Map.of("runs", List.of("evl_x")), "options.evalOptions.runs[0]"),
        Arguments.of(Map.of("runs", List.of(Map.of("flowEvalId", "grader", "flowEvalExternalInput", "x"))),
            "options.evalOptions.runs[0].flowEvalExternalInput"),
        Arguments.of(Map.of("mode", "block"), "options.evalOptions.mode"),
        Arguments.of("block", "options.evalOptions"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badEvalOptions")
  void badEvalOptions_return400WithDetails_andStartNoRun(Object evalOptions, String field) {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = flowRequest(org, "qa-raw", "Hi", evalOptions);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_eval_options");
    assertThat(r.json().path("details")).extracting(d -> d.path("field").asText()).contains(field);
    assertThat(runCount(org)).isZero();
  }

  @Test
  void evalOptions_namingAnotherOrgsEvaluator_return400AsUnknown_andStartNoRun() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createExample(owner, "qa-raw");
    createExample(other, "qa-raw");
    String foreign = evaluator(owner, "qa-raw", "offline", "contains", Map.of("expected", "offline"), false);

    Http.Response r = flowRequest(other, "qa-raw", "Hi", block(select(foreign, null)));

    assertError(r, 400, "invalid_eval_options");
    assertThat(r.json().path("details")).extracting(d -> d.path("field").asText())
        .contains("options.evalOptions.runs[0].flowEvalId");
    assertThat(runCount(other)).isZero();
  }

  @Test
  void evalJob_ofAnotherOrg_isNotFound_likeAnUnknownOne() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createExample(owner, "qa-raw");
    String id = evaluator(owner, "qa-raw", "offline", "contains", Map.of("expected", "offline"), false);
    String jobId = flowRequest(owner, "qa-raw", "Hi", block(select(id, null))).json().path("eval_job_id").asText();

    Http.Response foreign = http.get("/api/v1/eval-jobs/" + jobId, other.token());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().path("error").asText()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/eval-jobs/evj_nope", owner.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/eval-jobs/" + jobId, owner.token()).status()).isEqualTo(200);
  }

  @Test
  void evaluations_ofACompletedRun_startAJob_answered202() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "offline", "contains", Map.of(), false);
    String runId = flowRequest(org, "qa-raw", "Hi", null).json().path("id").asText();

    Http.Response r = http.post("/api/v1/runs/" + runId + "/evaluations", org.token(),
        Map.of("runs", List.of(select(id, Map.of("expected", "offline answer")))));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("run_id").asText()).isEqualTo(runId);
    JsonNode job = finishedJob(org, r.json().path("id").asText());
    assertThat(job.path("results").get(0).path("passed").asBoolean()).isTrue();
  }

  @Test
  void evaluations_ofAnotherOrgsRun_areNotFound_andOfNothingSelected_400() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createExample(owner, "qa-raw");
    String runId = flowRequest(owner, "qa-raw", "Hi", null).json().path("id").asText();

    assertThat(http.post("/api/v1/runs/" + runId + "/evaluations", other.token(), Map.of()).status())
        .isEqualTo(404);
    Http.Response none = http.post("/api/v1/runs/" + runId + "/evaluations", owner.token(), Map.of());
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().path("error").asText()).isEqualTo("no_evaluations");
  }
}
