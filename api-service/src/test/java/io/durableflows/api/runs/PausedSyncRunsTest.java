package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A synchronous, non-streaming request whose run pauses for a person (examples/flows/approval-demo.json) is answered
 * 202 with the run and what it waits for, on every dialect, instead of holding the connection for hours.
 */
class PausedSyncRunsTest extends RunApiTest {

  /** The 202's run id, after checking it says the run waits and for what. */
  private static String waiting(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode b = r.json();
    String runId = b.path("run_id").asText();
    assertThat(runId).startsWith("run_");
    assertThat(b.path("status").asText()).isEqualTo("waiting");
    assertThat(b.path("waiting_for")).hasSize(1);
    JsonNode approval = b.path("waiting_for").get(0);
    assertThat(approval.path("id").asText()).startsWith("apr_");
    assertThat(approval.path("kind").asText()).isEqualTo("approval");
    assertThat(approval.path("status").asText()).isEqualTo("pending");
    assertThat(approval.path("run_id").asText()).isEqualTo(runId);
    assertThat(approval.path("respond_url").asText())
        .isEqualTo("/api/v1/approvals/" + approval.path("id").asText() + "/respond");
    assertThat(b.path("status_url").asText()).isEqualTo("/api/v1/runs/" + runId);
    assertThat(b.path("wait_url").asText()).startsWith("/api/v1/runs/" + runId + "/wait");
    assertThat(b.path("events_url").asText()).isEqualTo("/api/v1/runs/" + runId + "/events");
    assertThat(b.path("cancel_url").asText()).isEqualTo("/api/v1/cancel/" + runId);
    assertThat(r.header("Location")).endsWith("/api/v1/runs/" + runId);
    assertThat(r.header("X-Run-Id")).isEqualTo(runId);
    return runId;
  }

  /** Approves what the 202 named and reads the finished run. */
  private JsonNode approveAndFinish(TestOrg org, Http.Response accepted) {
    approve(org, accepted.json().path("waiting_for").get(0).path("id").asText());
    return settled(org, accepted.json().path("run_id").asText());
  }

  @Test
  void run_onAFlowThatPauses_returns202WithWhatItWaitsFor() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");

    Http.Response r = http.post(flowPath(org, "approval-demo") + "/run", org.token(), input("question", "Sync 000?"));

    waiting(r);
    assertThat(run(org, r.json().path("run_id").asText()).path("background").asBoolean()).isFalse();
  }

  @Test
  void run_onAFlowThatPaused_completesOnceApproved() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    Http.Response r = http.post(flowPath(org, "approval-demo") + "/run", org.token(), input("question", "Sync 000?"));

    JsonNode run = approveAndFinish(org, r);

    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Sync 000?\"");
  }

  @Test
  void chatCompletions_onAFlowThatPauses_returns202WithWhatItWaitsFor() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");

    Http.Response r = http.post(flowPath(org, "approval-demo") + "/chat/completions", org.token(),
        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "Sync OpenAI?"))));

    waiting(r);
    JsonNode run = approveAndFinish(org, r);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("channel").asText()).isEqualTo("openai");
  }

  @Test
  void flowRequest_onAFlowThatPauses_returns202WithWhatItWaitsFor() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");

    Http.Response r = http.post(flowRequestPath(org, "approval-demo"), org.token(),
        Map.of("body", Map.of("question", "Sync 001?"), "options", Map.of("stream", "none")));

    waiting(r);
    JsonNode run = approveAndFinish(org, r);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("channel").asText()).isEqualTo("flow_request");
  }

  @Test
  void agentChat_nonStreaming_onAFlowThatPauses_returns202WithWhatItWaitsFor() {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    publish(org, "approval-demo");

    Http.Response r = http.post("/agents/approval-demo/chat", org.token(),
        Map.of("text", "Sync 003?", "stream", false));

    waiting(r);
    assertThat(r.header("x-flow-balance")).isEqualTo("10");
    assertThat(r.header("x-flow-precharge")).isEqualTo("0.5");
    JsonNode run = approveAndFinish(org, r);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Sync 003?\"");
  }
}
