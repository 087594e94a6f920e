package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Prefer: respond-async} and {@code ?async=true} on every route that starts a run: 202 at once with where to
 * follow the run, the run goes on in the background and completes.
 */
class AsyncRunsTest extends RunApiTest {
  private static final Map<String, Object> QUESTION = input("question", "What is Temporal?");

  /** The 202 answer's run id, after checking it carries every link and header of a background start. */
  private static String accepted(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode b = r.json();
    String runId = b.path("run_id").asText();
    assertThat(runId).startsWith("run_");
    assertThat(b.path("status").asText()).isIn("running", "completed");
    assertThat(b.path("status_url").asText()).isEqualTo("/api/v1/runs/" + runId);
    assertThat(b.path("events_url").asText()).isEqualTo("/api/v1/runs/" + runId + "/events");
    assertThat(b.path("wait_url").asText()).startsWith("/api/v1/runs/" + runId + "/wait");
    assertThat(b.path("cancel_url").asText()).isEqualTo("/api/v1/cancel/" + runId);
    assertThat(r.header("Location")).endsWith("/api/v1/runs/" + runId);
    assertThat(r.header("Preference-Applied")).isEqualTo("respond-async");
    assertThat(r.header("X-Run-Id")).isEqualTo(runId);
    return runId;
  }

  /** Follows the 202's wait_url to the run's end. */
  private JsonNode followed(TestOrg org, Http.Response accepted) {
    Http.Response r = http.get(accepted.json().path("wait_url").asText(), org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode run = r.json().path("status").asText().equals("running")
        ? settled(org, accepted.json().path("run_id").asText()) : r.json();
    assertThat(run.path("status").asText()).isEqualTo("completed");
    return run;
  }

  private void publishQaRaw(TestOrg org) {
    createExample(org, "qa-raw");
    publish(org, "qa-raw");
  }

  // ---------------------------------------------------------------------------------------------------- 000

  @Test
  void run_withPreferRespondAsync_returns202WithLinks() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run", org.token(), QUESTION, ASYNC);

    accepted(r);
  }

  @Test
  void run_withPreferRespondAsync_completesInTheBackground() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run", org.token(), QUESTION, ASYNC);

    JsonNode run = followed(org, r);
    assertThat(run.path("id").asText()).isEqualTo(accepted(r));
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"What is Temporal?\"");
    assertThat(run.path("background").asBoolean()).isTrue();
    assertThat(run.path("channel").asText()).isEqualTo("flow_api");
  }

  @Test
  void run_withAsyncTrue_returns202AndTheRunCompletesInTheBackground() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run?async=true", org.token(), QUESTION);

    accepted(r);
    assertThat(followed(org, r).path("background").asBoolean()).isTrue();
  }

  @Test
  void run_withRespondAsyncAmongOtherPreferences_returns202() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run", org.token(), QUESTION,
        Map.of("Prefer", "return=minimal, Respond-Async; foo=bar"));

    accepted(r);
  }

  @Test
  void run_withStreamTrueAndPreferRespondAsync_returns202InsteadOfJsonLines() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run", org.token(),
        Map.of("input", Map.of("question", "hi"), "stream", true), ASYNC);

    accepted(r);
    assertThat(r.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void run_withAsyncFalse_answersSynchronously() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run?async=false", org.token(), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).startsWith("Offline answer to \"What is Temporal?\"");
    assertThat(run(org, r.header("X-Run-Id")).path("background").asBoolean()).isFalse();
  }

  @Test
  void run_withAsyncMaybe_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run?async=maybe", org.token(), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(r.json().path("message").asText()).contains("async");
    assertThat(runCount(org)).isZero();
  }

  @Test
  void runStream_withPreferRespondAsync_returns202JsonInsteadOfAStream() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run/stream", org.token(), QUESTION, ASYNC);

    accepted(r);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode run = followed(org, r);
    assertThat(run.path("background").asBoolean()).isTrue();
    assertThat(run.path("output").asText()).startsWith("Offline answer to");
  }

  @Test
  void runStream_withAsyncTrue_returns202() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run/stream?async=true", org.token(), QUESTION);

    accepted(r);
    followed(org, r);
  }

  @Test
  void runStream_withAsyncMaybe_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run/stream?async=maybe", org.token(), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(runCount(org)).isZero();
  }

  @Test
  void chatCompletions_withPreferRespondAsync_returns202AndTheRunCompletes() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");

    Http.Response r = http.post(flowPath(org, "qa-openai") + "/chat/completions", org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "Async hello"))), ASYNC);

    accepted(r);
    JsonNode run = followed(org, r);
    assertThat(run.path("background").asBoolean()).isTrue();
    assertThat(run.path("channel").asText()).isEqualTo("openai");
    assertThat(run.path("output").path("object").asText()).isEqualTo("chat.completion");
  }

  @Test
  void chatCompletions_withAsyncTrue_returns202() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");

    Http.Response r = http.post(flowPath(org, "qa-openai") + "/chat/completions?async=true", org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "Async hello"))));

    accepted(r);
    followed(org, r);
  }

  @Test
  void chatCompletions_withAsyncMaybe_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");

    Http.Response r = http.post(flowPath(org, "qa-openai") + "/chat/completions?async=maybe", org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "hi"))));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(runCount(org)).isZero();
  }

  // ---------------------------------------------------------------------------------------------------- 001

  @Test
  void flowRequest_withPreferRespondAsync_returns202WithIdFlowIdAndSession() {
    TestOrg org = newOrg();
    String flowId = createExample(org, "qa-raw").path("id").asText();

    Http.Response r = http.post(flowRequestPath(org, "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "Async 001"), "options", Map.of("flow_session_id", "sess-1")), ASYNC);

    String runId = accepted(r);
    assertThat(r.json().path("id").asText()).isEqualTo(runId);
    assertThat(r.json().path("flow_id").asText()).isEqualTo(flowId);
    assertThat(r.json().path("flow_session_id").asText()).isEqualTo("sess-1");
    JsonNode run = followed(org, r);
    assertThat(run.path("background").asBoolean()).isTrue();
    assertThat(run.path("flow_session_id").asText()).isEqualTo("sess-1");
    assertThat(run.path("channel").asText()).isEqualTo("flow_request");
  }

  @Test
  void flowRequest_withAsyncTrueAndNoSession_returns202WithANewSession() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowRequestPath(org, "qa-raw") + "?async=true", org.token(),
        Map.of("body", Map.of("question", "Async 001")));

    accepted(r);
    assertThat(r.json().path("flow_session_id").asText()).isNotBlank();
    followed(org, r);
  }

  @Test
  void flowRequest_withAsyncMaybe_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowRequestPath(org, "qa-raw") + "?async=maybe", org.token(),
        Map.of("body", Map.of("question", "hi")));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(runCount(org)).isZero();
  }

  // ---------------------------------------------------------------------------------------------------- 003

  @Test
  void agentChat_withPreferRespondAsync_returns202AndTheTurnCompletes() {
    TestOrg org = newOrg();
    publishQaRaw(org);

    Http.Response r = http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "Async turn"), ASYNC);

    accepted(r);
    JsonNode run = followed(org, r);
    assertThat(run.path("channel").asText()).isEqualTo("agent_chat");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Async turn\"");
  }

  @Test
  void agentChat_withPreferRespondAsync_isABackgroundRun() {
    TestOrg org = newOrg();
    publishQaRaw(org);

    Http.Response r = http.post("/agents/qa-raw/chat", org.token(), Map.of("text", "Async turn"), ASYNC);

    assertThat(followed(org, r).path("background").asBoolean()).isTrue();
  }

  @Test
  void agentChat_withAsyncTrue_returns202WithTheCreditHeaders() {
    TestOrg org = newOrg();
    publishQaRaw(org);

    Http.Response r = http.post("/agents/qa-raw/chat?async=true", org.token(),
        Map.of("text", "Async turn", "stream", false));

    accepted(r);
    assertThat(r.header("x-flow-balance")).isEqualTo("10");
    assertThat(r.header("x-flow-precharge")).isEqualTo("0.5");
    followed(org, r);
  }

  @Test
  void agentChat_withAsyncMaybe_returns400AndHoldsNoCredits() {
    TestOrg org = newOrg();
    publishQaRaw(org);

    Http.Response r = http.post("/agents/qa-raw/chat?async=maybe", org.token(), Map.of("text", "hi"));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(runCount(org)).isZero();
    JsonNode credits = http.get("/api/v1/credits", org.token()).json();
    assertThat(credits.path("ledger")).extracting(n -> n.path("kind").asText()).containsExactly("grant");
  }

  // ---------------------------------------------------------------------------------------------------- sync

  @Test
  void syncRun_isNotABackgroundRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");

    Http.Response r = http.post(flowPath(org, "qa-raw") + "/run", org.token(), QUESTION);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(run(org, r.header("X-Run-Id")).path("background").asBoolean()).isFalse();
  }
}
