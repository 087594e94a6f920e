package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tool calls that wait for a person: a flow's tool node with an approval policy, answered through
 * /api/v1/approvals. The calculator is the tool: its answer shows which arguments it ran with.
 */
class ToolCallApprovalTest extends HitlApiTest {
  private static final String SLUG = "calc";

  private JsonNode waitingCalculation(TestOrg org, Object policy, String expression) throws InterruptedException {
    createFlow(org, calculatorFlow(SLUG, policy));
    return waitingApproval(org, SLUG, input("expression", expression));
  }

  private JsonNode waitingCalculation(TestOrg org, String expression) throws InterruptedException {
    return waitingCalculation(org, "always", expression);
  }

  @Test
  void pending_showsTheToolCallItsArgumentsTheirSchemaAndWhyItAsks() throws Exception {
    TestOrg org = newOrg();

    JsonNode approval = waitingCalculation(org, "2+3");

    assertThat(approval.path("kind").asText()).isEqualTo("tool_call");
    assertThat(approval.path("status").asText()).isEqualTo("pending");
    assertThat(approval.path("tool").asText()).isEqualTo("calculator");
    assertThat(approval.path("node").asText()).isEqualTo("calc");
    assertThat(approval.path("flow").asText()).isEqualTo(SLUG);
    assertThat(approval.path("arguments")).isEqualTo(Http.JSON.valueToTree(Map.of("expression", "2+3")));
    JsonNode schema = approval.path("arguments_schema");
    assertThat(schema.path("type").asText()).isEqualTo("object");
    assertThat(schema.path("required")).isEqualTo(Http.JSON.valueToTree(List.of("expression")));
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(schema.path("properties").path("expression").path("type").asText()).isEqualTo("string");
    assertThat(approval.path("reason").asText()).isEqualTo("this tool always needs approval");
    assertThat(approval.path("message").asText()).contains("calculator").contains("2+3");
    assertThat(approval.path("final_arguments").isNull()).isTrue();
    assertThat(approval.path("arguments_modified").asBoolean()).isFalse();
    assertThat(approval.path("respond_url").asText()).isEqualTo("/api/v1/approvals/" + approval.path("id").asText()
        + "/respond");
  }

  @Test
  void respond_withApprove_runsTheToolWithTheProposedArguments() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");
    String id = approval.path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "approve"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("approved");
    assertThat(r.json().path("final_arguments")).isEqualTo(Http.JSON.valueToTree(Map.of("expression", "2+3")));
    assertThat(r.json().path("arguments_modified").asBoolean()).isFalse();
    JsonNode run = awaitEnd(org, approval.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("5");
  }

  @Test
  void respond_withModifiedArguments_runsTheToolWithThemAndRecordsTheChange() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");
    String id = approval.path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "approve", "comment", "use the real numbers",
        "modified_arguments", Map.of("expression", "6*7"), "responder", "carol"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("approved");
    assertThat(r.json().path("decision").asText()).isEqualTo("approve");
    JsonNode run = awaitEnd(org, approval.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("42");
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("approved");
    assertThat(view.path("arguments")).as("the proposal stays as it was")
        .isEqualTo(Http.JSON.valueToTree(Map.of("expression", "2+3")));
    assertThat(view.path("final_arguments")).isEqualTo(Http.JSON.valueToTree(Map.of("expression", "6*7")));
    assertThat(view.path("arguments_modified").asBoolean()).isTrue();
    assertThat(view.path("comment").asText()).isEqualTo("use the real numbers");
    assertThat(view.path("responder").path("name").asText()).isEqualTo("carol");
    assertThat(view.path("responder").path("token_id").asText()).isEqualTo(org.tokenId());
    assertThat(view.path("resolved_at").asText()).isNotBlank();
    assertThat(view.path("wait_ms").isIntegralNumber()).isTrue();
  }

  @Test
  void respond_withModifiedArgumentsEqualToTheProposal_doesNotCountAsAModification() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");

    Http.Response r = respond(org, approval.path("id").asText(),
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", "2+3")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("arguments_modified").asBoolean()).isFalse();
    assertThat(r.json().path("final_arguments")).isEqualTo(Http.JSON.valueToTree(Map.of("expression", "2+3")));
    assertThat(awaitEnd(org, approval.path("run_id").asText()).path("output").asText()).isEqualTo("5");
    JsonNode stats = http.get("/api/v1/approvals/tools/calculator/stats", org.token()).json();
    assertThat(stats.path("approved_with_modified_arguments").asLong()).isZero();
  }

  @Test
  void runRecord_afterApproval_listsTheToolCallWithItsIdempotencyKeyAndActivity() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");
    String runId = approval.path("run_id").asText();
    respond(org, approval.path("id").asText(), Map.of("decision", "approve"));
    awaitEnd(org, runId);

    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();

    JsonNode calls = run.path("calls");
    assertThat(calls).as(run.toString()).hasSize(1);
    JsonNode call = calls.get(0);
    assertThat(call.path("kind").asText()).isEqualTo("tool");
    assertThat(call.path("node").asText()).isEqualTo("calc");
    assertThat(call.path("name").asText()).isEqualTo("calculator");
    assertThat(call.path("idempotency_key").asText()).isEqualTo(runId + "/calc/1");
    assertThat(call.path("activity_id").asText()).isNotBlank();
    assertThat(call.path("attempt").asInt()).isEqualTo(1);
    JsonNode requests = run.path("requests");
    assertThat(ids(requests)).containsExactly(approval.path("id").asText());
    assertThat(requests.get(0).path("status").asText()).isEqualTo("approved");
    assertThat(run.path("waiting_for")).isEmpty();
  }

  @Test
  void respond_withDeny_neverRunsTheToolAndTheOutputSaysDenied() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");
    String runId = approval.path("run_id").asText();

    Http.Response r = respond(org, approval.path("id").asText(),
        Map.of("decision", "deny", "comment", "not now", "responder", "dave"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("denied");
    assertThat(r.json().path("decision").asText()).isEqualTo("deny");
    JsonNode run = awaitEnd(org, runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("Tool call 'calculator' denied by dave: not now");
    JsonNode full = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(full.path("calls").findValuesAsText("kind")).as(full.toString()).doesNotContain("tool");
    assertThat(full.path("calls")).isEmpty();
  }

  @Test
  void delete_ofAToolCallApproval_cancelsItAndTheToolNeverRuns() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, "2+3");
    String runId = approval.path("run_id").asText();

    Http.Response r = http.delete("/api/v1/approvals/" + approval.path("id").asText(), org.token(),
        Map.of("comment", "withdrawn"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(r.json().path("decision").asText()).isEqualTo("deny");
    assertThat(r.json().path("comment").asText()).isEqualTo("withdrawn");
    JsonNode run = awaitEnd(org, runId);
    assertThat(run.path("output").asText()).startsWith("Tool call 'calculator' cancelled");
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("calls")).isEmpty();
  }

  @Test
  void respond_withModifiedArgumentsOfTheWrongType_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = waitingCalculation(org, "2+3").path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "approve", "modified_arguments", Map.of("expression", 5)));

    assertError(r, 400, "invalid_answer");
    assertThat(r.json().path("details").isArray()).isTrue();
    assertThat(r.json().path("details").toString()).contains("expression");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withModifiedArgumentsHavingAnExtraProperty_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = waitingCalculation(org, "2+3").path("id").asText();

    Http.Response r = respond(org, id,
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", "1+1", "precision", 3)));

    assertError(r, 400, "invalid_answer");
    assertThat(r.json().path("details").toString()).contains("precision");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withModifiedArgumentsMissingARequiredProperty_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = waitingCalculation(org, "2+3").path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "approve", "modified_arguments", Map.of()));

    assertError(r, 400, "invalid_answer");
    assertThat(r.json().path("details").toString()).contains("expression");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withModifiedArgumentsBreakingTheSchemaAsync_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = waitingCalculation(org, "2+3").path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", "")), ASYNC);

    assertError(r, 400, "invalid_answer");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withModifiedArgumentsOnDeny_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = waitingCalculation(org, "2+3").path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "deny", "modified_arguments", Map.of("expression", "1")));

    assertError(r, 400, "invalid_answer");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withModifiedArgumentsToAnApprovalNode_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String id = waitingApproval(org, "approval-demo", input("question", "q")).path("id").asText();

    Http.Response r = respond(org, id, Map.of("decision", "approve", "modified_arguments", Map.of("x", 1)));

    assertError(r, 400, "invalid_answer");
    assertThat(r.json().path("message").asText()).contains("tool-call");
    assertApprovalStillPending(org, id);
  }

  @Test
  void rulesPolicy_whenNoRuleMatches_runsTheToolWithoutAsking() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow(SLUG, parse("""
        {"rules": [{"argument": "expression", "operator": "matches", "value": "\\\\*"}]}""")));

    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/" + SLUG + "/run", org.token(),
        input("expression", "1+2"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("3");
    String runId = r.header("X-Run-Id");
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("requests")).as("nobody was asked").isEmpty();
    assertThat(run.path("calls")).hasSize(1);
    assertThat(http.get("/api/v1/approvals/pending", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void rulesPolicy_whenARuleMatches_asksWithTheRuleAsReason() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = waitingCalculation(org, parse("""
        {"rules": [{"argument": "expression", "operator": "matches", "value": "\\\\*"}]}"""), "6*7");

    assertThat(approval.path("kind").asText()).isEqualTo("tool_call");
    assertThat(approval.path("reason").asText()).isEqualTo("approval rule matched: expression matches \\*");
    Http.Response r = respond(org, approval.path("id").asText(), Map.of("decision", "approve"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(awaitEnd(org, approval.path("run_id").asText()).path("output").asText()).isEqualTo("42");
  }

  @Test
  void syncRun_ofAToolThatNeedsApproval_returns202NamingTheToolCall() {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow(SLUG, "always"));

    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/" + SLUG + "/run", org.token(),
        input("expression", "1+1"));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode waiting = r.json().path("waiting_for");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).path("kind").asText()).isEqualTo("tool_call");
    assertThat(waiting.get(0).path("tool").asText()).isEqualTo("calculator");
    assertThat(waiting.get(0).path("arguments").path("expression").asText()).isEqualTo("1+1");
  }
}
