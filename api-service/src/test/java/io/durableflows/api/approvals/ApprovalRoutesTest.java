package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 002's approvals routes over runs of examples/flows/approval-demo.json. */
class ApprovalRoutesTest extends ApiTest {
  private static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");

  private String startAsync(TestOrg org, String slug, Map<String, Object> body) {
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/" + slug + "/run", org.token(), body, ASYNC);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("run_id").asText();
  }

  /** The run's one pending approval, once the run has asked for it. */
  private JsonNode awaitApproval(TestOrg org, String runId) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      JsonNode data = http.get("/api/v1/approvals/pending?run=" + runId, org.token()).json().path("data");
      if (data.size() > 0) return data.get(0);
      Thread.sleep(50);
    }
    throw new AssertionError("run " + runId + " never asked for approval");
  }

  private JsonNode waitForRun(TestOrg org, String runId) {
    Http.Response r = http.get("/api/v1/runs/" + runId + "/wait?timeout=20s", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private String waitingRun(TestOrg org) {
    createExample(org, "approval-demo");
    return startAsync(org, "approval-demo", input("question", "Why is the sky blue?"));
  }

  @Test
  void pending_listsTheApprovalTheRunWaitsFor() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);

    JsonNode approval = awaitApproval(org, runId);

    assertThat(approval.path("id").asText()).startsWith("apr_");
    assertThat(approval.path("status").asText()).isEqualTo("pending");
    assertThat(approval.path("message").asText()).isEqualTo("May the assistant answer this question? Why is the sky blue?");
    assertThat(approval.path("context").path("question").asText()).isEqualTo("Why is the sky blue?");
    assertThat(approval.path("flow").asText()).isEqualTo("approval-demo");
    assertThat(approval.path("expires_at").asText()).isNotBlank();
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("status").asText()).isEqualTo("waiting");
  }

  @Test
  void respond_withApprove_completesTheRunWithTheModelsAnswer() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String id = awaitApproval(org, runId).path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "approve", "comment", "fine", "responder", "alice@acme.test"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("approved");
    assertThat(r.json().path("responder").path("name").asText()).isEqualTo("alice@acme.test");
    assertThat(r.json().path("responder").path("token_id").asText()).isEqualTo(org.tokenId());
    JsonNode run = waitForRun(org, runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Why is the sky blue?\"");
  }

  @Test
  void respond_withDeny_completesTheRunWithTheDenial() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String id = awaitApproval(org, runId).path("id").asText();

    http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "deny", "comment", "not today", "responder", "bob"));

    JsonNode run = waitForRun(org, runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("Denied by bob: not today");
  }

  @Test
  void respond_twice_returns409AndKeepsTheFirstDecision() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String id = awaitApproval(org, runId).path("id").asText();
    http.post("/api/v1/approvals/" + id + "/respond", org.token(), Map.of("decision", "deny"));

    Http.Response second = http.post("/api/v1/approvals/" + id + "/respond", org.token(), Map.of("decision", "approve"));

    assertThat(second.status()).as(second.body()).isEqualTo(409);
    assertThat(second.json().path("error").asText()).isEqualTo("already_resolved");
    assertThat(http.get("/api/v1/approvals/" + id, org.token()).json().path("status").asText()).isEqualTo("denied");
  }

  @Test
  void delete_cancelsTheApproval_andTheRunTakesItsDenyPath() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    String id = awaitApproval(org, runId).path("id").asText();

    Http.Response r = http.delete("/api/v1/approvals/" + id, org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(r.json().path("decision").asText()).isEqualTo("deny");
    assertThat(waitForRun(org, runId).path("output").asText()).startsWith("Cancelled");
  }

  @Test
  void get_approvalOfAnotherOrg_returns404() throws Exception {
    TestOrg org = newOrg();
    String id = awaitApproval(org, waitingRun(org)).path("id").asText();
    TestOrg other = newOrg();

    assertThat(http.get("/api/v1/approvals/" + id, other.token()).status()).isEqualTo(404);
    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", other.token(), Map.of("decision", "approve"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(http.get("/api/v1/approvals/" + id, org.token()).json().path("status").asText()).isEqualTo("pending");
  }

  @Test
  void syncRun_thatPausesForApproval_returns202WithWhatItWaitsFor() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");

    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/approval-demo/run", org.token(),
        input("question", "Sync?"));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode body = r.json();
    assertThat(body.path("status").asText()).isEqualTo("waiting");
    assertThat(body.path("waiting_for").get(0).path("id").asText()).startsWith("apr_");
    assertThat(body.path("wait_url").asText()).contains("/wait");
  }

  @Test
  void questionDemo_answeredWithAChoice_completesUsingTheAnswer() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    JsonNode question = null;
    for (int i = 0; i < 200 && question == null; i++) {
      JsonNode data = http.get("/api/v1/questions/pending?run=" + runId, org.token()).json().path("data");
      if (data.size() > 0) question = data.get(0);
      else Thread.sleep(50);
    }
    assertThat(question).isNotNull();
    assertThat(question.path("choices")).hasSize(3);

    Http.Response r = http.post("/api/v1/questions/" + question.path("id").asText() + "/respond", org.token(),
        Map.of("answer", "step by step"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(waitForRun(org, runId).path("output").asText()).contains("Explain tides in step by step.");
  }

  @Test
  void questionRespond_withAChoiceNotOffered_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    String id = null;
    for (int i = 0; i < 200 && id == null; i++) {
      JsonNode data = http.get("/api/v1/questions/pending?run=" + runId, org.token()).json().path("data");
      if (data.size() > 0) id = data.get(0).path("id").asText();
      else Thread.sleep(50);
    }

    Http.Response r = http.post("/api/v1/questions/" + id + "/respond", org.token(), Map.of("answer", "a novel"));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_answer");
    assertThat(http.get("/api/v1/questions/" + id, org.token()).json().path("status").asText()).isEqualTo("pending");
  }

  @Test
  void bulkRespond_withOneBadItem_answersTheOthers() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String a = awaitApproval(org, startAsync(org, "approval-demo", input("question", "a"))).path("id").asText();
    String b = awaitApproval(org, startAsync(org, "approval-demo", input("question", "b"))).path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", List.of(
        Map.of("id", a, "decision", "approve"),
        Map.of("id", "apr_unknown", "decision", "approve"),
        Map.of("id", b, "decision", "maybe"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().path("results");
    assertThat(results.get(0).path("ok").asBoolean()).isTrue();
    assertThat(results.get(1).path("status").asInt()).isEqualTo(404);
    assertThat(results.get(2).path("status").asInt()).isEqualTo(400);
    assertThat(r.json().path("succeeded").asInt()).isEqualTo(1);
    assertThat(http.get("/api/v1/approvals/" + b, org.token()).json().path("status").asText()).isEqualTo("pending");
  }
}
