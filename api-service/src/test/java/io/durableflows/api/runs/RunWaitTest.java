package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/runs/{id}/wait}: a long poll that ends when the run ends or pauses, or at its timeout. */
class RunWaitTest extends RunApiTest {

  private Http.Response waitFor(TestOrg org, String runId, String timeout) {
    return http.get("/api/v1/runs/" + runId + "/wait?timeout=" + timeout, org.token());
  }

  @Test
  void wait_forAFinishedRun_returnsTheCompletedRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = http.post(flowPath(org, "qa-raw") + "/run", org.token(), input("question", "Done yet?"))
        .header("X-Run-Id");

    Http.Response r = waitFor(org, runId, "30s");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode run = r.json();
    assertThat(run.path("id").asText()).isEqualTo(runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Done yet?\"");
    assertThat(run.path("finished_at").isNull()).isFalse();
    assertThat(run.path("waiting_for")).isEmpty();
    assertThat(run.path("cancel_url").asText()).isEqualTo("/api/v1/cancel/" + runId);
  }

  @Test
  void wait_forARunningRun_returnsItOnceItHasCompleted() {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-stub", "raw");
    stub.enqueue(Reply.success("Worth the wait.").withDelay(Duration.ofMillis(700)));
    String runId = startAsync(org, "qa-stub", input("question", "hi"));

    Http.Response r = waitFor(org, runId, "60s");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
    assertThat(r.json().path("output").asText()).isEqualTo("Worth the wait.");
  }

  @Test
  void wait_forARunThatPausesForApproval_returnsWaitingWithTheApproval() {
    TestOrg org = newOrg();
    String runId = waitingRun(org);

    // Far longer than the run takes to ask: the answer comes when it asks, not at the timeout.
    Http.Response r = waitFor(org, runId, "120s");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode run = r.json();
    assertThat(run.path("status").asText()).isEqualTo("waiting");
    assertThat(run.path("waiting_for")).hasSize(1);
    JsonNode approval = run.path("waiting_for").get(0);
    assertThat(approval.path("id").asText()).startsWith("apr_");
    assertThat(approval.path("kind").asText()).isEqualTo("approval");
    assertThat(approval.path("status").asText()).isEqualTo("pending");
    assertThat(approval.path("message").asText()).isEqualTo("May the assistant answer this question? Why is the sky blue?");
    assertThat(approval.path("respond_url").asText())
        .isEqualTo("/api/v1/approvals/" + approval.path("id").asText() + "/respond");
  }

  @Test
  void wait_afterTheApprovalIsGiven_returnsTheCompletedRun() throws Exception {
    TestOrg org = newOrg();
    String runId = waitingRun(org);
    approve(org, awaitApproval(org, runId).path("id").asText());

    JsonNode run = settled(org, runId);

    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("waiting_for")).isEmpty();
    assertThat(run.path("requests").get(0).path("status").asText()).isEqualTo("approved");
    assertThat(run.path("output").asText()).startsWith("Offline answer to \"Why is the sky blue?\"");
  }

  @Test
  void wait_forASlowRun_returnsItRunningAfterTheTimeout() {
    TestOrg org = newOrg();
    createStubFlow(org, "qa-stub", "raw");
    stub.enqueue(Reply.success("Too late.").withDelay(Duration.ofSeconds(20)));
    String runId = startAsync(org, "qa-stub", input("question", "hi"));
    try {
      Http.Response r = waitFor(org, runId, "1s");

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("id").asText()).isEqualTo(runId);
      assertThat(r.json().path("status").asText()).isEqualTo("running");
      assertThat(r.json().path("output").isNull()).isTrue();
    } finally {
      http.post("/api/v1/cancel/" + runId, org.token(), "");
    }
  }

  @Test
  void wait_withTimeoutThatIsNotADuration_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = startAsync(org, "qa-raw", input("question", "hi"));

    Http.Response r = waitFor(org, runId, "abc");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(r.json().path("message").asText()).contains("timeout");
  }

  @Test
  void wait_withTimeoutOverThe120sCap_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = startAsync(org, "qa-raw", input("question", "hi"));

    Http.Response r = waitFor(org, runId, "10m");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("message").asText()).contains("120");
  }

  @Test
  void wait_withNegativeTimeout_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = startAsync(org, "qa-raw", input("question", "hi"));

    assertThat(waitFor(org, runId, "-5s").status()).isEqualTo(400);
    assertThat(waitFor(org, runId, "PT-5S").status()).isEqualTo(400);
  }

  @Test
  void wait_withTimeoutAtTheCapOrInIsoForm_isAccepted() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = http.post(flowPath(org, "qa-raw") + "/run", org.token(), input("question", "hi"))
        .header("X-Run-Id");

    assertThat(waitFor(org, runId, "120s").status()).isEqualTo(200);
    assertThat(waitFor(org, runId, "2m").status()).isEqualTo(200);
    assertThat(waitFor(org, runId, "PT30S").status()).isEqualTo(200);
  }

  @Test
  void wait_withoutTimeout_usesTheDefault() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = startAsync(org, "qa-raw", input("question", "hi"));

    Http.Response r = http.get("/api/v1/runs/" + runId + "/wait", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
  }

  @Test
  void wait_forUnknownRun_returns404() {
    TestOrg org = newOrg();

    Http.Response r = waitFor(org, "run_unknown", "1s");

    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void wait_forAnotherOrgsRun_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String runId = waitingRun(org);

    Http.Response r = waitFor(other, runId, "1s");

    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void wait_withoutToken_returns401() {
    TestOrg org = newOrg();
    String runId = waitingRun(org);

    assertThat(http.get("/api/v1/runs/" + runId + "/wait?timeout=1s", null).status()).isEqualTo(401);
  }
}
