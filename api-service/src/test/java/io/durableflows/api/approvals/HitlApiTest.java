package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Helpers for the human-in-the-loop API tests: flows written in the test, runs started in the background, and
 * polls (never fixed waits) for what a run asks and for its end.
 */
abstract class HitlApiTest extends ApiTest {
  static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");
  private static final Set<String> ACTIVE = Set.of("running", "waiting");

  @Autowired
  protected JdbcClient jdbc;

  // ------------------------------------------------------------------------------------------ flows

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String json) {
    try {
      return Http.JSON.readValue(json, LinkedHashMap.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** input(expression) → tool node {@code calc} (calculator on {{input.expression}}) → raw output. */
  static Map<String, Object> calculatorFlow(String slug, Object approval) {
    Map<String, Object> doc = parse("""
        {
          "slug": "%s",
          "name": "Calculator with approval",
          "nodes": [
            {"id": "input", "type": "input", "position": {"x": 0, "y": 0},
             "data": {"variables": [{"name": "expression", "type": "string", "required": true}]}},
            {"id": "calc", "type": "tool", "position": {"x": 200, "y": 0},
             "data": {"tool": "calculator", "arguments": {"expression": "{{input.expression}}"}}},
            {"id": "output", "type": "output", "position": {"x": 400, "y": 0}, "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "calc"},
            {"id": "e2", "source": "calc", "target": "output"}
          ]
        }""".formatted(slug));
    node(doc, "calc").put("approval", approval);
    return doc;
  }

  /**
   * input(topic) → approval node {@code review} → template {@code go} on the approved branch, template {@code stop}
   * on the denied one → raw output. {@code reviewData} is merged into the approval node's data.
   */
  static Map<String, Object> approvalFlow(String slug, Map<String, Object> reviewData) {
    Map<String, Object> doc = parse("""
        {
          "slug": "%s",
          "name": "Approval with both branches",
          "nodes": [
            {"id": "input", "type": "input", "position": {"x": 0, "y": 0},
             "data": {"variables": [{"name": "topic", "type": "string", "required": true}]}},
            {"id": "review", "type": "approval", "position": {"x": 200, "y": 0},
             "data": {"message": "Go ahead with {{input.topic}}?"}},
            {"id": "go", "type": "template", "position": {"x": 400, "y": 0},
             "data": {"template": "went ahead with {{input.topic}} ({{review}})"}},
            {"id": "stop", "type": "template", "position": {"x": 400, "y": 200},
             "data": {"template": "stopped ({{review}})"}},
            {"id": "output", "type": "output", "position": {"x": 600, "y": 0}, "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "review"},
            {"id": "e2", "source": "review", "target": "go", "sourceHandle": "approved"},
            {"id": "e3", "source": "review", "target": "stop", "sourceHandle": "denied"},
            {"id": "e4", "source": "go", "target": "output"},
            {"id": "e5", "source": "stop", "target": "output"}
          ]
        }""".formatted(slug));
    node(doc, "review").putAll(reviewData);
    return doc;
  }

  /** input(topic) → question node {@code ask} ({@code askData}) → {@code output} ({@code outputData}). */
  static Map<String, Object> questionFlow(String slug, Map<String, Object> askData, Map<String, Object> outputData) {
    Map<String, Object> doc = parse("""
        {
          "slug": "%s",
          "name": "A question",
          "nodes": [
            {"id": "input", "type": "input", "position": {"x": 0, "y": 0},
             "data": {"variables": [{"name": "topic", "type": "string", "required": true}]}},
            {"id": "ask", "type": "question", "position": {"x": 200, "y": 0}, "data": {}},
            {"id": "output", "type": "output", "position": {"x": 400, "y": 0}, "data": {}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "ask"},
            {"id": "e2", "source": "ask", "target": "output"}
          ]
        }""".formatted(slug));
    node(doc, "ask").putAll(askData);
    node(doc, "output").putAll(outputData);
    return doc;
  }

  void createFlow(TestOrg org, Map<String, Object> doc) {
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as("creating flow " + doc.get("slug") + ": " + r.body()).isEqualTo(201);
  }

  // ------------------------------------------------------------------------------------------ runs

  String startAsync(TestOrg org, String slug, Map<String, Object> body) {
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/" + slug + "/run", org.token(), body, ASYNC);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("run_id").asText();
  }

  /** The run's first pending approval ({@code kind} approvals) or question ({@code kind} questions). */
  JsonNode awaitPending(TestOrg org, String kind, String runId) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode data = http.get("/api/v1/" + kind + "/pending?run=" + runId, org.token()).json().path("data");
      if (data.size() > 0) return data.get(0);
      Thread.sleep(25);
    }
    throw new AssertionError("run " + runId + " never asked (" + kind + ")");
  }

  JsonNode awaitApproval(TestOrg org, String runId) throws InterruptedException {
    return awaitPending(org, "approvals", runId);
  }

  JsonNode awaitQuestion(TestOrg org, String runId) throws InterruptedException {
    return awaitPending(org, "questions", runId);
  }

  /**
   * The run once it has ended. {@code /wait} long-polls a running run; a waiting one it returns at once, so
   * while the run still waits (a timer to fire, a signal to apply) this polls again shortly.
   */
  JsonNode awaitEnd(TestOrg org, String runId) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      Http.Response r = http.get("/api/v1/runs/" + runId + "/wait?timeout=10s", org.token());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      run = r.json();
      if (!ACTIVE.contains(run.path("status").asText())) return run;
      if ("waiting".equals(run.path("status").asText())) Thread.sleep(50);
    }
    throw new AssertionError("run " + runId + " did not end: " + run);
  }

  /** A run of {@code slug} started in the background and waiting on its first approval; returns the approval. */
  JsonNode waitingApproval(TestOrg org, String slug, Map<String, Object> body) throws InterruptedException {
    return awaitApproval(org, startAsync(org, slug, body));
  }

  // ------------------------------------------------------------------------------------------ requests

  JsonNode getApproval(TestOrg org, String id) {
    Http.Response r = http.get("/api/v1/approvals/" + id, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  JsonNode getQuestion(TestOrg org, String id) {
    Http.Response r = http.get("/api/v1/questions/" + id, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  Http.Response respond(TestOrg org, String id, Object body) {
    return http.post("/api/v1/approvals/" + id + "/respond", org.token(), body);
  }

  Http.Response answer(TestOrg org, String id, Object body) {
    return http.post("/api/v1/questions/" + id + "/respond", org.token(), body);
  }

  /** The request is still pending, and so is its run: a refused request changed nothing. */
  void assertStillPending(TestOrg org, String kind, String id) {
    Http.Response r = http.get("/api/v1/" + kind + "/" + id, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode view = r.json();
    assertThat(view.path("status").asText()).as(view.toString()).isEqualTo("pending");
    assertThat(view.path("responder").isNull()).as(view.toString()).isTrue();
    assertThat(view.path("resolved_at").isNull()).as(view.toString()).isTrue();
    JsonNode run = http.get("/api/v1/runs/" + view.path("run_id").asText(), org.token()).json();
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("waiting");
    assertThat(ids(run.path("waiting_for"))).as(run.toString()).contains(id);
  }

  void assertApprovalStillPending(TestOrg org, String id) {
    assertStillPending(org, "approvals", id);
  }

  void assertQuestionStillPending(TestOrg org, String id) {
    assertStillPending(org, "questions", id);
  }

  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }

  /** The {@code id} of each element of a JSON array. */
  static List<String> ids(JsonNode array) {
    List<String> ids = new java.util.ArrayList<>();
    array.forEach(e -> ids.add(e.path("id").asText()));
    return ids;
  }
}
