package io.durableflows.api.evals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Eval jobs that an API left unstarted, runs the response does not wait for, and retried requests. */
class EvalJobRecoveryTest extends EvalApiTest {
  @Autowired
  EvalJobSweeper sweeper;

  @Autowired
  JdbcClient jdbc;

  /** What an API that died between recording a job and starting its workflow leaves behind. */
  private String pendingJob(TestOrg org, String runId, String evaluatorId) {
    String jobId = "evj_recover" + System.nanoTime();
    String selection = "[{\"evaluator\": {\"id\": \"" + evaluatorId + "\", \"name\": \"offline\", \"kind\": "
        + "\"contains\", \"config\": {\"expected\": \"offline answer\"}, \"autoRun\": false}, \"externalInput\": null}]";
    jdbc.sql("""
            insert into eval_jobs (id, org_id, run_id, flow_slug, status, selection, workflow_id)
            values (:id, :org, :run, 'qa-raw', 'pending', cast(:selection as json), :workflow)""")
        .param("id", jobId).param("org", org.id()).param("run", runId).param("selection", selection)
        .param("workflow", "eval/" + org.code() + "/" + jobId).update();
    return jobId;
  }

  @Test
  void startUpSweep_startsAPendingJobOfACompletedRun() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), false);
    String runId = flowRequest(org, "qa-raw", "Hi", null).json().path("id").asText();
    String jobId = pendingJob(org, runId, id);

    sweeper.sweep();

    JsonNode job = finishedJob(org, jobId);
    assertThat(job.path("status").asText()).isEqualTo("completed");
    assertThat(job.path("results").get(0).path("passed").asBoolean()).isTrue();
  }

  @Test
  void startUpSweep_failsAPendingJobWhoseRunIsGone() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String jobId = pendingJob(org, "run_gone", "evl_1");

    sweeper.sweep();

    JsonNode job = http.get("/api/v1/eval-jobs/" + jobId, org.token()).json();
    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("error").asText()).contains("no longer exists");
  }

  @Test
  void backgroundRun_answersWithTheJobId_andTheJobRunsOnceTheRunCompletes() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), false);

    Http.Response r = http.post(flowRequestPath(org, "qa-raw"), org.token(), Map.of("body",
        Map.of("question", "Hi"), "options", Map.of("evalOptions", Map.of("runs", List.of(select(id, null))))),
        Map.of("Prefer", "respond-async"));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode job = finishedJob(org, r.json().path("eval_job_id").asText());
    assertThat(job.path("status").asText()).isEqualTo("completed");
    assertThat(job.path("results").get(0).path("passed").asBoolean()).isTrue();
  }

  @Test
  void streamedRun_namesItsJobInAHeader_andTheJobRunsOnceTheRunCompletes() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), false);

    Http.Response r = http.post(flowRequestPath(org, "qa-raw"), org.token(), Map.of("body",
        Map.of("question", "Hi"), "options", Map.of("stream", "http",
            "evalOptions", Map.of("runs", List.of(select(id, null))))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String jobId = r.header("X-Eval-Job-Id");
    assertThat(jobId).startsWith("evj_");
    assertThat(finishedJob(org, jobId).path("results").get(0).path("passed").asBoolean()).isTrue();
  }

  @Test
  void aRetryWithTheSameIdempotencyKey_getsTheSameJob() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = evaluator(org, "qa-raw", "offline", "contains", Map.of("expected", "offline answer"), false);
    Map<String, Object> request = Map.of("body", Map.of("question", "Hi"),
        "options", Map.of("evalOptions", block(select(id, null))));

    JsonNode first = http.post(flowRequestPath(org, "qa-raw"), org.token(), request,
        Map.of("Idempotency-Key", "eval-retry-1")).json();
    JsonNode retry = http.post(flowRequestPath(org, "qa-raw"), org.token(), request,
        Map.of("Idempotency-Key", "eval-retry-1")).json();

    assertThat(retry.path("id").asText()).isEqualTo(first.path("id").asText());
    assertThat(retry.path("eval_job_id").asText()).isEqualTo(first.path("eval_job_id").asText());
    assertThat(retry.path("evaluations").get(0).path("passed").asBoolean()).isTrue();
  }
}
