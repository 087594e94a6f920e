package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/approvals/tools/{tool}/stats and GET /api/v1/approvals/dashboard/summary. */
class ApprovalStatsTest extends HitlApiTest {

  private JsonNode stats(TestOrg org, String tool) {
    Http.Response r = http.get("/api/v1/approvals/tools/" + tool + "/stats", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private JsonNode summary(TestOrg org) {
    Http.Response r = http.get("/api/v1/approvals/dashboard/summary", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Runs the calc flow once per answer given and answers its approval with it, waiting for each run's end. */
  @SafeVarargs
  private void decide(TestOrg org, Map<String, Object>... answers) throws InterruptedException {
    for (Map<String, Object> answer : answers) {
      JsonNode approval = waitingApproval(org, "calc", input("expression", "1+1"));
      Http.Response r = respond(org, approval.path("id").asText(), answer);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      awaitEnd(org, approval.path("run_id").asText());
    }
  }

  @Test
  void toolStats_afterTwoApprovalsAndOneDenial_showsCountsApproveRateAndWaits() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    decide(org, Map.of("decision", "approve"),
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", "2+2")),
        Map.of("decision", "deny"));

    JsonNode stats = stats(org, "calculator");

    assertThat(stats.path("tool").asText()).isEqualTo("calculator");
    assertThat(stats.path("total").asLong()).isEqualTo(3);
    assertThat(stats.path("pending").asLong()).isZero();
    assertThat(stats.path("approved").asLong()).isEqualTo(2);
    assertThat(stats.path("denied").asLong()).isEqualTo(1);
    assertThat(stats.path("expired").asLong()).isZero();
    assertThat(stats.path("cancelled").asLong()).isZero();
    assertThat(stats.path("approved_with_modified_arguments").asLong()).isEqualTo(1);
    assertThat(stats.path("approve_rate").asDouble()).isCloseTo(2.0 / 3.0, within(1e-9));
    assertThat(stats.path("median_wait_ms").isIntegralNumber()).as(stats.toString()).isTrue();
    assertThat(stats.path("median_wait_ms").asLong()).isNotNegative();
    assertThat(stats.path("p95_wait_ms").isIntegralNumber()).as(stats.toString()).isTrue();
    assertThat(stats.path("p95_wait_ms").asLong()).isGreaterThanOrEqualTo(stats.path("median_wait_ms").asLong());
    assertThat(stats.path("oldest_pending_at").isNull()).isTrue();
    assertThat(stats.path("last_requested_at").asText()).isNotBlank();
  }

  @Test
  void toolStats_withOnlyAPendingApproval_showsItWithoutARateOrWaits() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    JsonNode approval = waitingApproval(org, "calc", input("expression", "1+1"));

    JsonNode stats = stats(org, "calculator");

    assertThat(stats.path("total").asLong()).isEqualTo(1);
    assertThat(stats.path("pending").asLong()).isEqualTo(1);
    assertThat(stats.path("approve_rate").isNull()).isTrue();
    assertThat(stats.path("median_wait_ms").isNull()).isTrue();
    assertThat(OffsetDateTime.parse(stats.path("oldest_pending_at").asText()))
        .isEqualTo(OffsetDateTime.parse(approval.path("created_at").asText()));
  }

  @Test
  void toolStats_countsOnlyTheCallersOrg() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    decide(org, Map.of("decision", "approve"));
    TestOrg other = newOrg();

    JsonNode stats = stats(other, "calculator");

    assertThat(stats.path("total").asLong()).isZero();
    assertThat(stats.path("approve_rate").isNull()).isTrue();
  }

  @Test
  void toolStats_leaveOutApprovalNodesAndTimeouts_butCountExpiredToolCalls() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String plain = waitingApproval(org, "approval-demo", input("question", "q")).path("id").asText();
    respond(org, plain, Map.of("decision", "approve"));
    Map<String, Object> flow = calculatorFlow("calc", "always");
    node(flow, "calc").putAll(Map.of("timeout", "2s", "timeoutDecision", "approve"));
    createFlow(org, flow);
    awaitEnd(org, waitingApproval(org, "calc", input("expression", "1+1")).path("run_id").asText());

    JsonNode stats = stats(org, "calculator");

    assertThat(stats.path("total").asLong()).isEqualTo(1);
    assertThat(stats.path("expired").asLong()).isEqualTo(1);
    assertThat(stats.path("approve_rate").isNull()).as("nobody decided").isTrue();
    assertThat(stats.path("median_wait_ms").isNull()).as("a timeout is not a person's wait").isTrue();
  }

  @Test
  void summary_showsPendingCountsPerFlowAndToolAndTheLastDayByStatus() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    decide(org, Map.of("decision", "approve"), Map.of("decision", "deny"));
    String first = waitingApproval(org, "calc", input("expression", "1+1")).path("created_at").asText();
    waitingApproval(org, "calc", input("expression", "2+2"));
    createExample(org, "approval-demo");
    waitingApproval(org, "approval-demo", input("question", "q"));
    createExample(org, "question-demo");
    awaitQuestion(org, startAsync(org, "question-demo", input("topic", "tides")));

    JsonNode summary = summary(org);

    assertThat(summary.path("pending_approvals").asLong()).isEqualTo(3);
    assertThat(summary.path("pending_questions").asLong()).isEqualTo(1);
    assertThat(OffsetDateTime.parse(summary.path("oldest_pending_at").asText()))
        .isEqualTo(OffsetDateTime.parse(first));
    assertThat(summary.path("expiring_within_1h").asLong()).as("question-demo waits an hour at most").isEqualTo(1);
    assertThat(summary.path("pending_by_flow")).isEqualTo(Http.JSON.valueToTree(List.of(
        Map.of("flow", "calc", "pending", 2), Map.of("flow", "approval-demo", "pending", 1))));
    assertThat(summary.path("pending_by_tool")).isEqualTo(Http.JSON.valueToTree(List.of(
        Map.of("tool", "calculator", "pending", 2))));
    JsonNode lastDay = summary.path("last_24h");
    assertThat(lastDay.path("pending").asLong()).isEqualTo(4);
    assertThat(lastDay.path("approved").asLong()).isEqualTo(1);
    assertThat(lastDay.path("denied").asLong()).isEqualTo(1);
    assertThat(lastDay.path("answered").asLong()).isZero();
    assertThat(lastDay.path("expired").asLong()).isZero();
    assertThat(lastDay.path("cancelled").asLong()).isZero();
    assertThat(summary.path("approve_rate").asDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(summary.path("median_wait_ms").isIntegralNumber()).isTrue();
  }

  @Test
  void summary_countsAnsweredQuestionsInTheLastDay() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    answer(org, awaitQuestion(org, runId).path("id").asText(), Map.of("answer", "one sentence"));

    JsonNode summary = summary(org);

    assertThat(summary.path("last_24h").path("answered").asLong()).isEqualTo(1);
    assertThat(summary.path("pending_questions").asLong()).isZero();
    assertThat(summary.path("approve_rate").isNull()).isTrue();
  }

  @Test
  void summary_ofAnOrgWithoutRequests_showsZeros_andNothingOfOtherOrgs() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    waitingApproval(org, "approval-demo", input("question", "q"));
    TestOrg other = newOrg();

    JsonNode summary = summary(other);

    assertThat(summary.path("pending_approvals").asLong()).isZero();
    assertThat(summary.path("pending_questions").asLong()).isZero();
    assertThat(summary.path("oldest_pending_at").isNull()).isTrue();
    assertThat(summary.path("pending_by_flow")).isEmpty();
    assertThat(summary.path("pending_by_tool")).isEmpty();
    assertThat(summary.path("approve_rate").isNull()).isTrue();
    JsonNode lastDay = summary.path("last_24h");
    for (String status : List.of("pending", "approved", "denied", "answered", "expired", "cancelled")) {
      assertThat(lastDay.path(status).isIntegralNumber()).as(status).isTrue();
      assertThat(lastDay.path(status).asLong()).as(status).isZero();
    }
  }

  @Test
  void summary_withAReadOnlyToken_isAllowed() {
    TestOrg org = newOrg(List.of("runs:read"));

    assertThat(http.get("/api/v1/approvals/dashboard/summary", org.token()).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/approvals/tools/calculator/stats", org.token()).status()).isEqualTo(200);
  }
}
