package io.durableflows.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ApiTest} with what tests of run routes keep needing: flows served by the stub provider, 202 starts,
 * long-polls, a run's pending approval, streaming requests.
 */
public abstract class RunApiTest extends ApiTest {
  protected static final Duration WAIT = Duration.ofSeconds(30);
  protected static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");

  /** qa-raw under {@code slug}, answered by the stub provider, with this output shape. */
  protected void createStubFlow(TestOrg org, String slug, String shape) {
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", slug);
    node(doc, "answer").put("provider", "stub");
    node(doc, "output").put("shape", shape);
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Publishes the flow's current draft, which makes it an agent of reference 003. */
  protected void publish(TestOrg org, String slug) {
    Http.Response r = http.post("/api/v1/flows/" + slug + "/releases", org.token(), Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  protected static String flowPath(TestOrg org, String slug) {
    return "/api/llm/" + org.code() + "/flows/" + slug;
  }

  protected static String flowRequestPath(TestOrg org, String flow) {
    return "/api/v1/accounts/" + org.code() + "/projects/default/flows/" + flow + "/run";
  }

  protected static Map<String, String> bearer(TestOrg org) {
    return Map.of("Authorization", "Bearer " + org.token());
  }

  protected static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new LinkedHashMap<>(a);
    out.putAll(b);
    return out;
  }

  /** Starts a run of a 000 flow in the background; returns its id. */
  protected String startAsync(TestOrg org, String slug, Map<String, Object> body) {
    Http.Response r = http.post(flowPath(org, slug) + "/run", org.token(), body, ASYNC);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("run_id").asText();
  }

  /** approval-demo in the org, and a background run of it that will wait for approval. */
  protected String waitingRun(TestOrg org) {
    if (http.get("/api/v1/flows/approval-demo", org.token()).status() == 404) createExample(org, "approval-demo");
    return startAsync(org, "approval-demo", input("question", "Why is the sky blue?"));
  }

  /** The run's pending approval, once the run has asked for it. */
  protected JsonNode awaitApproval(TestOrg org, String runId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode data = http.get("/api/v1/approvals/pending?run=" + runId, org.token()).json().path("data");
      if (data.size() > 0) return data.get(0);
      Thread.sleep(50);
    }
    throw new AssertionError("run " + runId + " never asked for approval");
  }

  protected Http.Response approve(TestOrg org, String approvalId) {
    Http.Response r = http.post("/api/v1/approvals/" + approvalId + "/respond", org.token(),
        Map.of("decision", "approve", "responder", "reviewer"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r;
  }

  /** The run once it is no longer running (long-polling /wait), as the run view shows it. */
  protected JsonNode settled(TestOrg org, String runId) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode run;
    do {
      Http.Response r = http.get("/api/v1/runs/" + runId + "/wait?timeout=10s", org.token());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      run = r.json();
    } while (run.path("status").asText().equals("running") && System.nanoTime() < deadline);
    return run;
  }

  protected JsonNode run(TestOrg org, String runId) {
    Http.Response r = http.get("/api/v1/runs/" + runId, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** How many runs the org has (first page of 100). */
  protected int runCount(TestOrg org) {
    return http.get("/api/v1/runs?limit=100", org.token()).json().path("data").size();
  }

  protected StreamClient stream(Map<String, String> headers, String path, Object body) {
    try {
      return StreamClient.post(http.base() + path, headers, Http.JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  protected StreamClient stream(TestOrg org, String path, Object body) {
    return stream(bearer(org), path, body);
  }

  protected StreamClient events(TestOrg org, String runId) {
    return StreamClient.get(http.base() + "/api/v1/runs/" + runId + "/events", bearer(org));
  }

  protected static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  /** The whole (non-streaming) body a StreamClient got, as JSON. */
  protected static JsonNode body(StreamClient s) {
    return json(String.join("\n", StreamClient.texts(s.rest(WAIT))));
  }
}
