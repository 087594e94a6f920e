package io.durableflows.api.flows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowRoutesTest extends ApiTest {

  @Test
  void create_withEachExampleFileAsIs_returns201() {
    TestOrg org = newOrg();
    for (String slug : List.of("qa-openai", "qa-raw", "qa-template")) {
      Http.Response r = http.post("/api/v1/flows", org.token(), example(slug));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().path("slug").asText()).isEqualTo(slug);
      assertThat(r.json().path("id").asText()).startsWith("flw_");
      assertThat(r.json().path("project").asText()).isEqualTo("default");
    }
  }

  @Test
  void get_returnsDefinitionAndInputSchema() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    JsonNode flow = http.get("/api/v1/flows/qa-raw", org.token()).json();
    assertThat(flow.path("definition").path("nodes")).hasSize(3);
    JsonNode schema = flow.path("input_schema");
    assertThat(schema.path("required").toString()).isEqualTo("[\"question\"]");
    assertThat(schema.path("properties").path("tone").path("enum").toString()).isEqualTo("[\"plain\",\"friendly\"]");
    assertThat(schema.path("properties").path("tone").path("default").asText()).isEqualTo("plain");
  }

  @Test
  void list_returnsOnlyTheCallersFlows() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    createExample(other, "qa-openai");
    JsonNode data = http.get("/api/v1/flows", org.token()).json().path("data");
    assertThat(data).hasSize(1);
    assertThat(data.get(0).path("slug").asText()).isEqualTo("qa-raw");
  }

  @Test
  void create_withExistingSlug_returns409() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post("/api/v1/flows", org.token(), example("qa-raw"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("flow_exists");
  }

  @Test
  void create_withInvalidNode_returns400NamingNodeAndField() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("qa-raw");
    node(doc, "answer").remove("prompt");
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_flow");
    JsonNode detail = r.json().path("details").get(0);
    assertThat(detail.path("node").asText()).isEqualTo("answer");
    assertThat(detail.path("field").asText()).isEqualTo("data.prompt");
    assertThat(http.get("/api/v1/flows/qa-raw", org.token()).status()).isEqualTo(404);
  }

  @Test
  void create_withMalformedJson_returns400() {
    TestOrg org = newOrg();
    Http.Response r = http.postRaw("/api/v1/flows", org.token(), "application/json", "{\"slug\": \"x\", ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_json");
  }

  @Test
  void create_withNodesNotAnArray_returns400() {
    TestOrg org = newOrg();
    Http.Response r = http.post("/api/v1/flows", org.token(), Map.of("slug", "x", "nodes", "nope"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("nodes");
  }

  @Test
  void create_withUnknownProject_returns404() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("qa-raw");
    doc.put("project", "nope");
    assertThat(http.post("/api/v1/flows", org.token(), doc).status()).isEqualTo(404);
  }

  @Test
  void update_replacesDraftAndHistoryId() {
    TestOrg org = newOrg();
    String history = createExample(org, "qa-raw").path("draft_history_id").asText();
    Map<String, Object> doc = example("qa-raw");
    doc.put("name", "Renamed");
    Http.Response r = http.put("/api/v1/flows/qa-raw", org.token(), doc);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("name").asText()).isEqualTo("Renamed");
    assertThat(r.json().path("draft_history_id").asText()).isNotEqualTo(history);
  }

  @Test
  void update_withDifferentSlug_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Map<String, Object> doc = example("qa-raw");
    doc.put("slug", "other");
    Http.Response r = http.put("/api/v1/flows/qa-raw", org.token(), doc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("slug");
  }

  @Test
  void update_withInvalidDefinition_keepsTheDraft() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Map<String, Object> doc = example("qa-raw");
    node(doc, "output").put("shape", "xml");
    assertThat(http.put("/api/v1/flows/qa-raw", org.token(), doc).status()).isEqualTo(400);
    JsonNode flow = http.get("/api/v1/flows/qa-raw", org.token()).json();
    assertThat(flow.path("definition").path("nodes").get(2).path("data").path("shape").asText()).isEqualTo("raw");
  }

  @Test
  void delete_removesTheFlow() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.delete("/api/v1/flows/qa-raw", org.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/flows/qa-raw", org.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/flows/qa-raw", org.token()).status()).isEqualTo(404);
  }

  @Test
  void publish_autoIncrementsVersions() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response first = http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of());
    Http.Response second = http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("notes", "again"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().path("version").asText()).isEqualTo("1");
    assertThat(second.json().path("version").asText()).isEqualTo("2");
    assertThat(second.json().path("flow_history_id").asText()).isNotBlank();
    JsonNode list = http.get("/api/v1/flows/qa-raw/releases", org.token()).json().path("data");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("version").asText()).isEqualTo("2");
    assertThat(http.get("/api/v1/flows/qa-raw", org.token()).json().path("latest_version").asText()).isEqualTo("2");
  }

  @Test
  void publish_withGivenVersion_usesIt_andRejectsDuplicates() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "1.0.0"));
    assertThat(r.json().path("version").asText()).isEqualTo("1.0.0");
    Http.Response dup = http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "1.0.0"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().path("error").asText()).isEqualTo("release_exists");
  }

  @Test
  void publish_withInvalidVersion_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "no spaces")).status())
        .isEqualTo(400);
    assertThat(http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", 3)).status())
        .isEqualTo(400);
  }

  @Test
  void publish_forUnknownFlow_returns404() {
    TestOrg org = newOrg();
    assertThat(http.post("/api/v1/flows/nope/releases", org.token(), Map.of()).status()).isEqualTo(404);
  }

  @Test
  void release_isImmutableWhenTheDraftChanges() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of());
    Map<String, Object> doc = example("qa-raw");
    node(doc, "answer").put("prompt", "changed {{input.question}}");
    http.put("/api/v1/flows/qa-raw", org.token(), doc);
    Http.Response run = http.post("/api/llm/" + org.code() + "/flows/qa-raw/run", org.token(),
        input("question", "hello"));
    assertThat(run.body()).doesNotContain("changed");
  }

  @Test
  void anotherOrgsFlow_isNotFound() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    createExample(owner, "qa-raw");
    assertThat(http.get("/api/v1/flows/qa-raw", other.token()).status()).isEqualTo(404);
    assertThat(http.put("/api/v1/flows/qa-raw", other.token(), example("qa-raw")).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/flows/qa-raw", other.token()).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/flows/qa-raw/releases", other.token(), Map.of()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/flows/qa-raw/releases", other.token()).status()).isEqualTo(404);
  }

  @Test
  void routes_withoutToken_return401() {
    Http.Response r = http.get("/api/v1/flows", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
  }

  @Test
  void routes_withUnknownToken_return401() {
    Http.Response r = http.get("/api/v1/flows", "df_not_a_real_token");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_token");
  }

  @Test
  void routes_withReadOnlyToken_cannotWrite() {
    TestOrg org = newOrg(List.of("flows:read"));
    assertThat(http.get("/api/v1/flows", org.token()).status()).isEqualTo(200);
    Http.Response r = http.post("/api/v1/flows", org.token(), example("qa-raw"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().path("error").asText()).isEqualTo("insufficient_scope");
  }

  @Test
  void update_byId_keepsTheSlug() {
    TestOrg org = newOrg();
    String id = createExample(org, "qa-raw").path("id").asText();
    Map<String, Object> doc = example("qa-raw");
    doc.remove("slug");
    Http.Response r = http.put("/api/v1/flows/" + id, org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("slug").asText()).isEqualTo("qa-raw");
    assertThat(r.json().path("definition").path("slug").asText()).isEqualTo("qa-raw");
  }

  @Test
  void create_withSlugShapedLikeAFlowId_returns400() {
    TestOrg org = newOrg();
    String id = createExample(org, "qa-raw").path("id").asText();
    Map<String, Object> doc = example("qa-openai");
    doc.put("slug", id);
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("slug");
    assertThat(http.get("/api/v1/flows/" + id, org.token()).json().path("slug").asText()).isEqualTo("qa-raw");
  }

  @Test
  void publish_withVersionDraft_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "draft")).status())
        .isEqualTo(400);
  }

  @Test
  void create_withANodeThatDoesNotFeedTheOutput_returns400() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("qa-raw");
    @SuppressWarnings("unchecked")
    List<Object> edges = new java.util.ArrayList<>((List<Object>) doc.get("edges"));
    edges.removeIf(e -> "e2".equals(((Map<?, ?>) e).get("id")));
    doc.put("edges", edges);
    node(doc, "output").remove("source");
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").findValuesAsText("node")).contains("answer");
  }
}
