package io.durableflows.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 000's per-flow docs, and 001's {@code version} running the pinned release's definition. */
class FlowDocsTest extends ApiTest {
  private static String docsPath(TestOrg org, String slug) {
    return "/api/llm/" + org.code() + "/flows/" + slug + "/docs";
  }

  @Test
  void docs_giveTheInputSchemaRoutesAndAnOpenApiFragment() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "qa-template");

    Http.Response r = http.get(docsPath(org, "qa-template"), org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode docs = r.json();
    assertThat(docs.path("flow").path("slug").asText()).isEqualTo("qa-template");
    assertThat(docs.path("flow").path("output_shape").asText()).isEqualTo("json_template");
    JsonNode flow = http.get("/api/v1/flows/qa-template", org.token()).json();
    assertThat(docs.path("input_schema")).isEqualTo(flow.path("input_schema"));
    assertThat(docs.path("input_schema").path("properties").fieldNames()).toIterable()
        .containsExactly("question", "user_id");
    assertThat(docs.path("input_schema").path("required").get(0).asText()).isEqualTo("question");

    JsonNode routes = docs.path("routes");
    assertThat(routes.findValuesAsText("path")).containsExactly(
        "/api/llm/" + org.code() + "/flows/qa-template/run", "/api/llm/" + org.code() + "/flows/qa-template/run",
        "/api/llm/" + org.code() + "/flows/qa-template/run/stream",
        "/api/llm/" + org.code() + "/flows/qa-template/chat/completions");
    for (JsonNode route : routes) {
      assertThat(route.path("method").asText()).isEqualTo("POST");
      assertThat(route.path("example_request").path("curl").asText()).startsWith("curl ")
          .contains(http.base() + route.path("path").asText()).contains("Authorization: Bearer");
      assertThat(route.path("response_shape").path("content_type").asText()).isNotEmpty();
    }
    JsonNode example = routes.get(0).path("example_request").path("json");
    assertThat(example.path("input").fieldNames()).toIterable().containsExactly("question", "user_id");

    // The OpenAPI fragment survives a JSON round trip and names this flow's paths and input component.
    JsonNode openapi = Http.JSON.readTree(Http.JSON.writeValueAsString(docs.path("openapi")));
    assertThat(openapi.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(openapi.path("paths").fieldNames()).toIterable().hasSize(3)
        .contains("/api/llm/" + org.code() + "/flows/qa-template/run");
    assertThat(openapi.path("components").path("schemas").path("QaTemplateInput").path("properties").fieldNames())
        .toIterable().containsExactly("question", "user_id");
    assertThat(openapi.at("/paths/~1api~1llm~1" + org.code() + "~1flows~1qa-template~1run/post/requestBody/content/"
        + "application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/QaTemplateRunRequest");
  }

  @Test
  void docs_exampleRequest_isAcceptedByTheRunRoute() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    JsonNode docs = http.get(docsPath(org, "qa-raw"), org.token()).json();
    JsonNode run = docs.path("routes").get(0);

    Http.Response r = http.post(run.path("path").asText(), org.token(), run.path("example_request").path("json"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(run.path("response_shape").path("content_type").asText()).isEqualTo("text/plain");
    assertThat(r.header("Content-Type")).startsWith("text/plain");
  }

  @Test
  void docs_ofAnotherOrgOrUnknownFlow_are404_andNeedAToken() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");

    assertThat(http.get(docsPath(org, "qa-raw"), other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/llm/" + other.code() + "/flows/qa-raw/docs", other.token()).status()).isEqualTo(404);
    assertThat(http.get(docsPath(org, "nope"), org.token()).status()).isEqualTo(404);
    assertThat(http.get(docsPath(org, "qa-raw"), null).status()).isEqualTo(401);
  }

  @Test
  void flowRequest_withVersion_runsThatReleasesDefinition() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("qa-template");
    doc.put("slug", "pinned");
    doc.put("nodes", List.of(
        Map.of("id", "input", "type", "input", "data", Map.of("variables", List.of(Map.of("name", "q")))),
        Map.of("id", "say", "type", "template", "data", Map.of("template", "release one: {{input.q}}")),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw"))));
    doc.put("edges", List.of(Map.of("id", "e1", "source", "input", "target", "say"),
        Map.of("id", "e2", "source", "say", "target", "output")));
    assertThat(http.post("/api/v1/flows", org.token(), doc).status()).isEqualTo(201);
    http.post("/api/v1/flows/pinned/releases", org.token(), Map.of("version", "1.0.0"));
    node(doc, "say").put("template", "release two: {{input.q}}");
    assertThat(http.put("/api/v1/flows/pinned", org.token(), doc).status()).isEqualTo(200);
    http.post("/api/v1/flows/pinned/releases", org.token(), Map.of("version", "2.0.0"));
    String path = "/api/v1/accounts/" + org.code() + "/projects/default/flows/pinned/run";

    JsonNode one = http.post(path, org.token(), Map.of("body", Map.of("q", "hi"),
        "options", Map.of("version", "1.0.0"))).json();
    JsonNode latest = http.post(path, org.token(), Map.of("body", Map.of("q", "hi"))).json();

    assertThat(one.toString()).contains("release one: hi").doesNotContain("release two");
    assertThat(latest.toString()).contains("release two: hi");
  }
}
