package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.temporal.client.WorkflowClient;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Requests whose run is over, and POST /api/v1/approvals/cleanup-expired, which closes what no run will close any
 * more. Runs recorded by their workflow close their own requests; the sweep is for the rest: requests overdue by
 * more than a minute whose run's timer never fired, and requests of runs PostgreSQL shows as ended that are still
 * pending. Those states are made here the way they arise (the workflow gone, a row written without closing its
 * requests), with SQL where only time or an older worker would produce them.
 */
class EndedRunRequestsTest extends HitlApiTest {
  @Autowired
  WorkflowClient temporal;

  private JsonNode pendingApproval(TestOrg org) throws InterruptedException {
    createExample(org, "approval-demo");
    return waitingApproval(org, "approval-demo", input("question", "q"));
  }

  /** The run's workflow ends without running any of its code: nothing records the end in PostgreSQL. */
  private void terminateWorkflow(TestOrg org, String runId) {
    String workflowId = http.get("/api/v1/runs/" + runId, org.token()).json().path("workflow_id").asText();
    temporal.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
        .terminate("test: the run's workflow is gone");
  }

  /** Moves a request's creation and expiry {@code secondsAgo} into the past, as if that time had gone by. */
  private void age(String requestId, long seconds) {
    jdbc.sql("""
            update human_requests set created_at = created_at - make_interval(secs => :s),
              expires_at = expires_at - make_interval(secs => :s) where id = :id""")
        .param("s", seconds).param("id", requestId).update();
  }

  private JsonNode cleanup(TestOrg org) {
    Http.Response r = http.post("/api/v1/approvals/cleanup-expired", org.token(), Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static java.util.List<String> texts(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ------------------------------------------------------------------------------------------ run ended

  @Test
  void cancellingAWaitingRun_closesItsApproval_andCleanupFindsNothingLeft() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String runId = approval.path("run_id").asText();

    Http.Response cancel = http.post("/api/v1/cancel/" + runId, org.token(), Map.of());

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
    JsonNode view = getApproval(org, approval.path("id").asText());
    assertThat(view.path("status").asText()).isEqualTo("cancelled");
    assertThat(view.path("comment").asText()).isEqualTo("the run ended (cancelled) before an answer");
    assertThat(view.path("responder").isNull()).isTrue();
    assertThat(http.get("/api/v1/approvals/pending", org.token()).json().path("data")).isEmpty();
    JsonNode swept = cleanup(org);
    assertThat(swept.path("closed").asInt()).isZero();
    assertThat(swept.path("expired").asInt()).isZero();
    assertThat(swept.path("closed_ids")).isEmpty();
  }

  @Test
  void respond_toAnApprovalWhoseRunWasCancelled_returns410RunEnded() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String runId = approval.path("run_id").asText();
    assertThat(http.post("/api/v1/cancel/" + runId, org.token(), Map.of()).status()).isEqualTo(200);

    Http.Response r = respond(org, approval.path("id").asText(), Map.of("decision", "approve"));

    assertError(r, 410, "run_ended");
    assertThat(r.json().path("run_id").asText()).isEqualTo(runId);
    assertThat(getApproval(org, approval.path("id").asText()).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void questionRespond_toAQuestionWhoseRunWasCancelled_returns410RunEnded() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    String id = awaitQuestion(org, runId).path("id").asText();
    assertThat(http.post("/api/v1/cancel/" + runId, org.token(), Map.of()).status()).isEqualTo(200);

    Http.Response r = answer(org, id, Map.of("answer", "one sentence"));

    assertError(r, 410, "run_ended");
    assertThat(getQuestion(org, id).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void respond_whenTheRunsWorkflowEndedWithoutRecordingIt_returns410RunEnded() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String runId = approval.path("run_id").asText();
    terminateWorkflow(org, runId);

    Http.Response r = respond(org, approval.path("id").asText(), Map.of("decision", "approve"));

    assertError(r, 410, "run_ended");
    assertThat(r.json().path("run_id").asText()).isEqualTo(runId);
  }

  @Test
  void respondAsync_whenTheRunsWorkflowEndedWithoutRecordingIt_returns410RunEnded() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    terminateWorkflow(org, approval.path("run_id").asText());

    Http.Response r = http.post("/api/v1/approvals/" + approval.path("id").asText() + "/respond", org.token(),
        Map.of("decision", "approve"), ASYNC);

    assertError(r, 410, "run_ended");
  }

  @Test
  void respond_toAnApprovalTheRunResolvedBeforeItEnded_stillReturns409() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();
    respond(org, id, Map.of("decision", "deny", "responder", "jo"));
    assertThat(awaitEnd(org, approval.path("run_id").asText()).path("status").asText()).isEqualTo("completed");

    Http.Response r = respond(org, id, Map.of("decision", "approve"));

    assertError(r, 409, "already_resolved");
    assertThat(r.json().path("message").asText()).contains("denied by jo");
  }

  // ------------------------------------------------------------------------------------------ orphans

  @Test
  void cleanup_cancelsPendingRequestsOfRunsRecordedAsEnded() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String runId = approval.path("run_id").asText();
    String id = approval.path("id").asText();
    terminateWorkflow(org, runId);
    // The run's end written without closing what it waited on (as a worker of an older version did).
    jdbc.sql("update runs set status = 'failed', finished_at = now() where id = :id").param("id", runId).update();

    JsonNode swept = cleanup(org);

    assertThat(texts(swept.path("closed_ids"))).containsExactly(id);
    assertThat(swept.path("closed").asInt()).isEqualTo(1);
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("cancelled");
    assertThat(view.path("comment").asText()).isEqualTo("the run ended (failed) before an answer");
    assertThat(view.path("resolved_at").asText()).isNotBlank();
    assertThat(http.get("/api/v1/approvals/pending", org.token()).json().path("data")).isEmpty();
    assertThat(cleanup(org).path("closed").asInt()).as("a second sweep finds nothing").isZero();
  }

  @Test
  void cleanup_leavesRequestsOfRunsThatStillWait() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org).path("id").asText();

    JsonNode swept = cleanup(org);

    assertThat(swept.path("closed").asInt()).isZero();
    assertThat(swept.path("expired").asInt()).isZero();
    assertApprovalStillPending(org, id);
  }

  // ------------------------------------------------------------------------------------------ overdue

  @Test
  void cleanup_expiresAnApprovalOverdueByMoreThanAMinute_withItsTimeoutDecision() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, approvalFlow("hour", Map.of("timeout", "1h", "timeoutDecision", "approve")));
    JsonNode approval = waitingApproval(org, "hour", input("topic", "x"));
    String id = approval.path("id").asText();
    terminateWorkflow(org, approval.path("run_id").asText());
    age(id, 3600 + 120);

    JsonNode swept = cleanup(org);

    assertThat(texts(swept.path("expired_ids"))).containsExactly(id);
    assertThat(swept.path("expired").asInt()).isEqualTo(1);
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("decision").asText()).isEqualTo("approve");
    assertThat(view.path("comment").asText()).isEqualTo("no answer before the timeout");
    assertThat(view.path("resolved_at").asText()).isEqualTo(view.path("expires_at").asText());
    assertThat(view.path("wait_ms").asLong()).isEqualTo(3_600_000L);
    assertError(respond(org, id, Map.of("decision", "deny")), 410, "request_expired");
    assertThat(cleanup(org).path("expired").asInt()).as("a second sweep finds nothing").isZero();
  }

  @Test
  void cleanup_expiresAQuestionOverdueByMoreThanAMinute_withItsTimeoutAnswer() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, questionFlow("hour-q",
        Map.of("question", "Which?", "timeout", "1h", "timeoutAnswer", "whatever"), Map.of("shape", "raw")));
    String runId = startAsync(org, "hour-q", input("topic", "x"));
    String id = awaitQuestion(org, runId).path("id").asText();
    terminateWorkflow(org, runId);
    age(id, 3600 + 120);

    JsonNode swept = cleanup(org);

    assertThat(texts(swept.path("expired_ids"))).containsExactly(id);
    JsonNode view = getQuestion(org, id);
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("answer").asText()).isEqualTo("whatever");
    assertError(answer(org, id, Map.of("answer", "this")), 410, "request_expired");
  }

  @Test
  void cleanup_leavesARequestWithinTheMinutesGraceForTheRunsOwnTimer() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, approvalFlow("hour", Map.of("timeout", "1h", "timeoutDecision", "approve")));
    JsonNode approval = waitingApproval(org, "hour", input("topic", "x"));
    String id = approval.path("id").asText();
    terminateWorkflow(org, approval.path("run_id").asText());
    age(id, 3600 + 10);

    JsonNode swept = cleanup(org);

    assertThat(swept.path("expired").asInt()).isZero();
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("pending");
    assertError(respond(org, id, Map.of("decision", "approve")), 410, "request_expired");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("pending");
  }

  @Test
  void cleanup_touchesOnlyTheCallersOrg() throws Exception {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String mine = null;
    String theirs = null;
    for (TestOrg o : java.util.List.of(org, other)) {
      createFlow(o, approvalFlow("hour", Map.of("timeout", "1h")));
      JsonNode approval = waitingApproval(o, "hour", input("topic", "x"));
      terminateWorkflow(o, approval.path("run_id").asText());
      age(approval.path("id").asText(), 3600 + 120);
      if (o == org) mine = approval.path("id").asText();
      else theirs = approval.path("id").asText();
    }

    JsonNode swept = cleanup(org);

    assertThat(texts(swept.path("expired_ids"))).containsExactly(mine);
    assertThat(getApproval(other, theirs).path("status").asText()).isEqualTo("pending");
  }
}
