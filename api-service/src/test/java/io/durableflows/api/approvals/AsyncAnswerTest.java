package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Answers sent without waiting ({@code Prefer: respond-async} or {@code ?async=true}): 202 at once, the answer
 * goes to the run as a signal and the run applies it. What the API can tell is wrong is refused before anything
 * is sent.
 */
class AsyncAnswerTest extends HitlApiTest {
  @Autowired
  WorkflowClient temporal;

  /** The names of the signals the run's workflow received, from its history. */
  private List<String> signals(TestOrg org, String runId) {
    String workflowId = http.get("/api/v1/runs/" + runId, org.token()).json().path("workflow_id").asText();
    return temporal.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .toList();
  }

  private List<EventType> updates(TestOrg org, String runId) {
    String workflowId = http.get("/api/v1/runs/" + runId, org.token()).json().path("workflow_id").asText();
    return temporal.fetchHistory(workflowId).getEvents().stream().map(HistoryEvent::getEventType)
        .filter(t -> t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
            || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED)
        .toList();
  }

  private JsonNode pendingApproval(TestOrg org) throws InterruptedException {
    createExample(org, "approval-demo");
    return waitingApproval(org, "approval-demo", input("question", "Why is the sky blue?"));
  }

  @Test
  void respond_withPreferRespondAsync_returns202AndTheRunAppliesTheAnswer() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "approve", "comment", "later is fine", "responder", "hana"), ASYNC);

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("id").asText()).isEqualTo(id);
    assertThat(r.json().path("status").asText()).isEqualTo("submitted");
    assertThat(r.json().path("status_url").asText()).isEqualTo("/api/v1/approvals/" + id);
    JsonNode run = awaitEnd(org, approval.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Why is the sky blue?\"");
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("approved");
    assertThat(view.path("comment").asText()).isEqualTo("later is fine");
    assertThat(view.path("responder").path("name").asText()).isEqualTo("hana");
    assertThat(view.path("responder").path("token_id").asText()).isEqualTo(org.tokenId());
    assertThat(signals(org, approval.path("run_id").asText())).containsExactly("Answer");
  }

  @Test
  void respond_withAsyncTrueParameter_returns202AndTheRunTakesTheDenial() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond?async=true", org.token(),
        Map.of("decision", "deny", "comment", "no", "responder", "ivan"));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(awaitEnd(org, approval.path("run_id").asText()).path("output").asText()).isEqualTo("Denied by ivan: no");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("denied");
  }

  @Test
  void respond_withAsyncFalseParameter_answersSynchronously() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org).path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond?async=false", org.token(),
        Map.of("decision", "approve"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("approved");
  }

  @Test
  void delete_async_returns202AndTheRunTakesItsDenyPath() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();

    Http.Response r = http.delete("/api/v1/approvals/" + id + "?async=true", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(awaitEnd(org, approval.path("run_id").asText()).path("output").asText()).startsWith("Cancelled");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void questionRespond_async_returns202AndTheRunUsesTheAnswer() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    String id = awaitQuestion(org, runId).path("id").asText();

    Http.Response r = http.post("/api/v1/questions/" + id + "/respond", org.token(),
        Map.of("answer", "one sentence"), ASYNC);

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("status_url").asText()).isEqualTo("/api/v1/questions/" + id);
    assertThat(awaitEnd(org, runId).path("output").asText()).contains("Explain tides in one sentence.");
    JsonNode view = getQuestion(org, id);
    assertThat(view.path("status").asText()).isEqualTo("answered");
    assertThat(view.path("answer").asText()).isEqualTo("one sentence");
  }

  @Test
  void respond_async_withModifiedArgumentsBreakingTheSchema_isRefusedBeforeAnythingIsSent() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    JsonNode approval = waitingApproval(org, "calc", input("expression", "1+1"));
    String id = approval.path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", 5)), ASYNC);

    assertError(r, 400, "invalid_answer");
    assertApprovalStillPending(org, id);
    assertThat(signals(org, approval.path("run_id").asText())).as("no signal reached the run").isEmpty();
  }

  @Test
  void questionRespond_async_withAChoiceNotOffered_isRefusedBeforeAnythingIsSent() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    String id = awaitQuestion(org, runId).path("id").asText();

    Http.Response r = http.post("/api/v1/questions/" + id + "/respond?async=true", org.token(),
        Map.of("answer", "a haiku"));

    assertError(r, 400, "invalid_answer");
    assertQuestionStillPending(org, id);
    assertThat(signals(org, runId)).isEmpty();
  }

  @Test
  void respond_withAnInvalidAnswer_isRefusedBeforeTheRunIsAsked() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    JsonNode approval = waitingApproval(org, "calc", input("expression", "1+1"));

    Http.Response r = respond(org, approval.path("id").asText(),
        Map.of("decision", "approve", "modified_arguments", Map.of("expression", "1", "x", 1)));

    assertError(r, 400, "invalid_answer");
    assertThat(updates(org, approval.path("run_id").asText())).isEmpty();
    assertThat(signals(org, approval.path("run_id").asText())).isEmpty();
  }

  @Test
  void respond_async_afterTheAnswerWasApplied_returns409() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();
    http.post("/api/v1/approvals/" + id + "/respond", org.token(), Map.of("decision", "approve"), ASYNC);
    awaitEnd(org, approval.path("run_id").asText());

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", org.token(), Map.of("decision", "deny"),
        ASYNC);

    assertError(r, 409, "already_resolved");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("approved");
  }

  @Test
  void twoAsyncAnswersInARow_theFirstWinsAndTheRunStillCompletes() throws Exception {
    TestOrg org = newOrg();
    JsonNode approval = pendingApproval(org);
    String id = approval.path("id").asText();

    Http.Response first = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "approve", "responder", "first"), ASYNC);
    Http.Response second = http.post("/api/v1/approvals/" + id + "/respond", org.token(),
        Map.of("decision", "deny", "responder", "second"), ASYNC);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(second.status()).as("queued, or refused once the first was recorded: " + second.body())
        .isIn(202, 409);
    JsonNode run = awaitEnd(org, approval.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to");
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("approved");
    assertThat(view.path("responder").path("name").asText()).isEqualTo("first");
  }
}
