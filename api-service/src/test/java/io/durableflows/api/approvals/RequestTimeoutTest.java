package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests with a timeout, on real time: nobody answers, the run's durable timer fires, and the run goes on with
 * the timeout decision (approvals) or the timeout answer (questions). An answer after that is too late: 410.
 */
class RequestTimeoutTest extends HitlApiTest {

  private JsonNode expiringApproval(TestOrg org, Map<String, Object> reviewData) throws InterruptedException {
    createFlow(org, approvalFlow("timed", reviewData));
    return waitingApproval(org, "timed", input("topic", "the launch"));
  }

  @Test
  void approval_withTimeoutDecisionApprove_whenNobodyAnswers_expiresAndTheRunTakesTheApprovedBranch()
      throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = expiringApproval(org, Map.of("timeout", "2s", "timeoutDecision", "approve"));
    assertThat(approval.path("timeout_decision").asText()).isEqualTo("approve");
    OffsetDateTime created = OffsetDateTime.parse(approval.path("created_at").asText());
    OffsetDateTime expires = OffsetDateTime.parse(approval.path("expires_at").asText());
    assertThat(java.time.Duration.between(created, expires)).isEqualTo(java.time.Duration.ofSeconds(2));

    JsonNode run = awaitEnd(org, approval.path("run_id").asText());

    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText())
        .isEqualTo("went ahead with the launch (No decision before the timeout: approved by default)");
    JsonNode view = getApproval(org, approval.path("id").asText());
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("decision").asText()).isEqualTo("approve");
    assertThat(view.path("responder").isNull()).isTrue();
    assertThat(view.path("comment").asText()).isEqualTo("no answer before the timeout");
    assertThat(view.path("resolved_at").asText()).isNotBlank();
    assertThat(view.path("wait_ms").asLong()).isGreaterThanOrEqualTo(2000);
  }

  @Test
  void approval_withTheDefaultTimeoutDecision_whenNobodyAnswers_takesTheDeniedBranch() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = expiringApproval(org, Map.of("timeout", "2s"));

    JsonNode run = awaitEnd(org, approval.path("run_id").asText());

    assertThat(run.path("output").asText()).isEqualTo("stopped (No decision before the timeout: denied by default)");
    JsonNode view = getApproval(org, approval.path("id").asText());
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("decision").asText()).isEqualTo("deny");
  }

  @Test
  void respond_afterTheApprovalExpired_returns410AndKeepsTheTimeoutDecision() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = expiringApproval(org, Map.of("timeout", "2s", "timeoutDecision", "approve"));
    String id = approval.path("id").asText();
    awaitEnd(org, approval.path("run_id").asText());

    Http.Response r = respond(org, id, Map.of("decision", "deny"));

    assertError(r, 410, "request_expired");
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("decision").asText()).isEqualTo("approve");
    assertError(http.delete("/api/v1/approvals/" + id, org.token()), 410, "request_expired");
  }

  @Test
  void toolApproval_withTimeoutDecisionApprove_whenNobodyAnswers_runsTheTool() throws Exception {
    TestOrg org = newOrg();
    Map<String, Object> flow = calculatorFlow("calc", "always");
    node(flow, "calc").putAll(Map.of("timeout", "2s", "timeoutDecision", "approve"));
    createFlow(org, flow);
    JsonNode approval = waitingApproval(org, "calc", input("expression", "6*7"));

    JsonNode run = awaitEnd(org, approval.path("run_id").asText());

    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("42");
    JsonNode view = getApproval(org, approval.path("id").asText());
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("final_arguments").path("expression").asText()).isEqualTo("6*7");
    assertThat(http.get("/api/v1/runs/" + approval.path("run_id").asText(), org.token()).json().path("calls"))
        .hasSize(1);
  }

  @Test
  void question_withTimeoutAnswer_whenNobodyAnswers_goesOnWithIt() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, questionFlow("timed-q",
        Map.of("question", "Any preference for {{input.topic}}?", "timeout", "2s", "timeoutAnswer", "no preference"),
        Map.of("shape", "raw")));
    String runId = startAsync(org, "timed-q", input("topic", "dinner"));
    JsonNode question = awaitQuestion(org, runId);
    assertThat(question.path("timeout_answer").asText()).isEqualTo("no preference");

    JsonNode run = awaitEnd(org, runId);

    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("no preference");
    JsonNode view = getQuestion(org, question.path("id").asText());
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("answer").asText()).isEqualTo("no preference");
  }

  @Test
  void questionRespond_afterTheQuestionExpired_returns410() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, questionFlow("timed-q",
        Map.of("question", "Any preference?", "timeout", "2s", "timeoutAnswer", "no preference"),
        Map.of("shape", "raw")));
    String runId = startAsync(org, "timed-q", input("topic", "dinner"));
    String id = awaitQuestion(org, runId).path("id").asText();
    awaitEnd(org, runId);

    Http.Response r = answer(org, id, Map.of("answer", "pizza"));

    assertError(r, 410, "request_expired");
    assertThat(getQuestion(org, id).path("answer").asText()).isEqualTo("no preference");
  }

  @Test
  void question_withoutTimeoutAnswer_whenNobodyAnswers_failsTheRun() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, questionFlow("timed-q", Map.of("question", "Anything?", "timeout", "2s"), Map.of("shape", "raw")));
    String runId = startAsync(org, "timed-q", input("topic", "x"));
    String id = awaitQuestion(org, runId).path("id").asText();

    JsonNode run = awaitEnd(org, runId);

    assertThat(run.path("status").asText()).isEqualTo("failed");
    assertThat(run.path("error").path("type").asText()).isEqualTo("QuestionExpired");
    JsonNode view = getQuestion(org, id);
    assertThat(view.path("status").asText()).isEqualTo("expired");
    assertThat(view.path("answer").isNull()).isTrue();
  }
}
