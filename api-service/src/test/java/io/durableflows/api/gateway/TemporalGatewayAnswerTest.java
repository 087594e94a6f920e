package io.durableflows.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import io.durableflows.workflows.hitl.HitlFailures;
import io.durableflows.workflows.hitl.HumanAnswer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The run's own refusals, past the API's early checks (which a race between two answers can slip by): the
 * update validator's failure types reach the gateway intact, so the API can answer 404, 409, 410 or 400.
 */
class TemporalGatewayAnswerTest extends ApiTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Autowired
  TemporalGateway temporal;

  private record Waiting(String workflowId, String approvalId) {}

  /** A run of two approvals in a row, waiting on the first. */
  private Waiting waitingRun() throws InterruptedException {
    TestOrg org = newOrg();
    Map<String, Object> doc = Map.of("slug", "two-approvals", "nodes", List.of(
        Map.of("id", "input", "type", "input", "data", Map.of("variables", List.of())),
        Map.of("id", "first", "type", "approval", "data", Map.of("message", "first?")),
        Map.of("id", "second", "type", "approval", "data", Map.of("message", "second?")),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw"))),
        "edges", List.of(Map.of("source", "input", "target", "first"), Map.of("source", "first", "target", "second"),
            Map.of("source", "second", "target", "output")));
    assertThat(http.post("/api/v1/flows", org.token(), doc).status()).isEqualTo(201);
    Http.Response started = http.post("/api/llm/" + org.code() + "/flows/two-approvals/run", org.token(),
        Map.of("input", Map.of()), Map.of("Prefer", "respond-async"));
    String runId = started.json().path("run_id").asText();
    JsonNode run = http.get("/api/v1/runs/" + runId + "/wait?timeout=20s", org.token()).json();
    return new Waiting(run.path("workflow_id").asText(), run.path("waiting_for").get(0).path("id").asText());
  }

  private static HumanAnswer answer(String requestId, String action) {
    return new HumanAnswer(requestId, action, null, null, null, "tok_test", "tester");
  }

  @Test
  void respond_toARequestTheRunDoesNotHave_isRefusedAsRequestNotFound() throws Exception {
    Waiting run = waitingRun();

    AnswerRefusedException refused = catchThrowableOfType(AnswerRefusedException.class,
        () -> temporal.respond(run.workflowId(), answer("apr_nosuchrequest0000", HumanAnswer.APPROVE), TIMEOUT));

    assertThat(refused.failureType()).isEqualTo(HitlFailures.REQUEST_NOT_FOUND);
  }

  @Test
  void respond_twice_isRefusedAsAlreadyResolved() throws Exception {
    Waiting run = waitingRun();
    assertThat(temporal.respond(run.workflowId(), answer(run.approvalId(), HumanAnswer.APPROVE), TIMEOUT)).isPresent();

    AnswerRefusedException refused = catchThrowableOfType(AnswerRefusedException.class,
        () -> temporal.respond(run.workflowId(), answer(run.approvalId(), HumanAnswer.DENY), TIMEOUT));

    assertThat(refused.failureType()).isEqualTo(HitlFailures.ALREADY_RESOLVED);
  }

  @Test
  void respond_withAnAnswerThatDoesNotFit_isRefusedAsInvalidAnswer() throws Exception {
    Waiting run = waitingRun();

    AnswerRefusedException refused = catchThrowableOfType(AnswerRefusedException.class,
        () -> temporal.respond(run.workflowId(), answer(run.approvalId(), HumanAnswer.ANSWER), TIMEOUT));

    assertThat(refused.failureType()).isEqualTo(HitlFailures.INVALID_ANSWER);
  }
}
