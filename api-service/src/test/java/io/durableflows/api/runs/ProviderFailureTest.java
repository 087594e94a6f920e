package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs against a real OpenAI-protocol server (a local stub): usage, cost, retries and failures. */
class ProviderFailureTest extends ApiTest {

  /** qa-raw, but served by the configured "stub" provider (OpenAI wire protocol). */
  private void createStubFlow(TestOrg org) {
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", "qa-stub");
    node(doc, "answer").put("provider", "stub");
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private Http.Response run(TestOrg org) {
    return http.post("/api/llm/" + org.code() + "/flows/qa-stub/run", org.token(), input("question", "hi"));
  }

  @Test
  void run_onOpenAiProvider_recordsUsageAndCost() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.success("Paris.", 1000, 500));
    Http.Response r = run(org);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("Paris.");
    JsonNode run = http.get("/api/v1/runs/" + r.header("X-Run-Id"), org.token()).json();
    assertThat(run.path("usage").path("prompt_tokens").asLong()).isEqualTo(1000);
    assertThat(run.path("usage").path("completion_tokens").asLong()).isEqualTo(500);
    // gpt-4o-mini list price: 0.15 + 0.60 USD per million tokens
    assertThat(run.path("cost_usd").asDouble()).isCloseTo(0.00045, within(1e-9));
    assertThat(stub.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(stub.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void run_whenProviderRejectsTheKey_returns502AndRecordsTheFailure() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.error(401));
    Http.Response r = run(org);
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.json().path("error").asText()).isEqualTo("provider_error");
    assertThat(r.body()).doesNotContain("sk-test");
    assertThat(stub.requests()).as("401 is not retried").hasSize(1);
    JsonNode run = http.get("/api/v1/runs/" + r.json().path("run_id").asText(), org.token()).json();
    assertThat(run.path("status").asText()).isEqualTo("failed");
    assertThat(run.path("error").path("type").asText()).isEqualTo("ProviderAuthFailed");
    assertThat(run.path("error").path("message").asText()).contains("answer").contains("401");
  }

  @Test
  void run_whenProviderFailsWith500ThenRecovers_retriesAndSucceeds() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.error(500), Reply.success("recovered"));
    Http.Response r = run(org);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("recovered");
    assertThat(stub.requests()).hasSize(2);
  }

  @Test
  void run_whenRateLimited_waitsForRetryAfterAndSucceeds() {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.rateLimited(2), Reply.success("after the limit"));
    long started = System.nanoTime();
    Http.Response r = run(org);
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("after the limit");
    assertThat(waitedMs).as("Retry-After: 2 replaces the 1 s backoff").isGreaterThanOrEqualTo(1900);
  }

  @Test
  void run_slowerThanTheSyncLimit_returns504AndKeepsGoing() throws InterruptedException {
    TestOrg org = newOrg();
    createStubFlow(org);
    stub.enqueue(Reply.success("slow but done").withDelay(Duration.ofSeconds(10)));
    Http.Response r = run(org);
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.json().path("error").asText()).isEqualTo("run_timeout");
    String runId = r.json().path("run_id").asText();
    assertThat(r.json().path("status_url").asText()).isEqualTo("/api/v1/runs/" + runId);
    String status = "running";
    for (int i = 0; i < 60 && status.equals("running"); i++) {
      Thread.sleep(250);
      status = http.get("/api/v1/runs/" + runId, org.token()).json().path("status").asText();
    }
    assertThat(status).isEqualTo("completed");
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("output").asText()).isEqualTo("slow but done");
  }

  @Test
  void run_withUnconfiguredProvider_returns502NamingIt() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", "qa-nowhere");
    node(doc, "answer").put("provider", "nowhere");
    http.post("/api/v1/flows", org.token(), doc);
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/qa-nowhere/run", org.token(), input("question", "hi"));
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.json().path("message").asText()).contains("nowhere");
  }
}
