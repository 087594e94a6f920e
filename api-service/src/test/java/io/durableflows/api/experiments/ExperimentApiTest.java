package io.durableflows.api.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the experiment tests: a question-answering flow with two releases that differ in their prompt, served by
 * the offline model (which echoes the prompt), and datasets uploaded over HTTP.
 */
abstract class ExperimentApiTest extends ApiTest {
  /**
   * The offline model quotes the prompt: release 1.0.0 asks the question alone, 2.0.0 puts the context first, so an
   * answer contains the expected text under 2.0.0 whenever the context holds it, under 1.0.0 only when the question
   * does.
   */
  static final String QA_DATASET = """
      {"input": {"question": "What is the capital of France?", "context": "Paris is the capital of France."}, "expected": "Paris"}
      {"input": {"question": "How many legs does a spider have?", "context": "A spider has 8 legs."}, "expected": "8"}
      {"input": {"question": "Is 7 a prime number?", "context": "Primes have two divisors."}, "expected": "7"}
      {"input": {"question": "Who wrote Hamlet?", "context": "Hamlet is a play from about 1600."}, "expected": "Shakespeare"}
      """;

  static Map<String, Object> qaFlow(String slug, String prompt) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("slug", slug);
    doc.put("name", "Q&A with context");
    doc.put("nodes", List.of(
        Map.of("id", "input", "type", "input", "data", Map.of("variables", List.of(
            Map.of("name", "question", "type", "string", "required", true),
            Map.of("name", "context", "type", "string", "default", "")))),
        Map.of("id", "answer", "type", "llm", "data", Map.of("prompt", prompt)),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw", "source", "answer"))));
    doc.put("edges", List.of(Map.of("id", "e1", "source", "input", "target", "answer"),
        Map.of("id", "e2", "source", "answer", "target", "output")));
    return doc;
  }

  /** Flow {@code slug} with release 1.0.0 (the question alone) and 2.0.0 (context, then the question). */
  void createTwoReleases(TestOrg org, String slug) {
    ok(http.post("/api/v1/flows", org.token(), qaFlow(slug, "{{input.question}}")), 201);
    ok(http.post("/api/v1/flows/" + slug + "/releases", org.token(), Map.of("version", "1.0.0")), 201);
    ok(http.put("/api/v1/flows/" + slug, org.token(), qaFlow(slug, "{{input.context}} {{input.question}}")), 200);
    ok(http.post("/api/v1/flows/" + slug + "/releases", org.token(), Map.of("version", "2.0.0")), 201);
  }

  String uploadDataset(TestOrg org, String jsonl) {
    return ok(http.postRaw("/api/v1/datasets?name=qa", org.token(), "application/x-ndjson", jsonl), 201)
        .path("id").asText();
  }

  JsonNode start(TestOrg org, Map<String, Object> body) {
    Http.Response r = http.post("/api/v1/experiments", org.token(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json();
  }

  /** The experiment once it is no longer running. */
  JsonNode finished(TestOrg org, String id) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode experiment;
    do {
      Thread.sleep(200);
      experiment = ok(http.get("/api/v1/experiments/" + id, org.token()), 200);
    } while (experiment.path("status").asText().equals("running") && System.nanoTime() < deadline);
    assertThat(experiment.path("status").asText()).as("finished within 60 s").isNotEqualTo("running");
    return experiment;
  }

  int experimentCount(TestOrg org) {
    return ok(http.get("/api/v1/experiments", org.token()), 200).path("data").size();
  }

  int runCount(TestOrg org) {
    return ok(http.get("/api/v1/runs?limit=100", org.token()), 200).path("data").size();
  }

  static JsonNode ok(Http.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r.json();
  }

}
