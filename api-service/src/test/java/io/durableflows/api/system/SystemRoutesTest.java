package io.durableflows.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemRoutesTest extends ApiTest {

  @Test
  void root_reportsStatus() {
    assertThat(http.get("/", null).json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void health_reportsMemory() {
    JsonNode health = http.get("/health", null).json();
    assertThat(health.path("status").asText()).isEqualTo("ok");
    assertThat(health.path("memory").path("max_mb").asLong()).isPositive();
  }

  @Test
  void ready_checksPostgresAndTemporal() {
    Http.Response r = http.get("/ready", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("checks").path("postgres").asText()).isEqualTo("ok");
    assertThat(r.json().path("checks").path("temporal").asText()).isEqualTo("ok");
  }

  @Test
  void models_listCapabilitiesAndPricing() {
    JsonNode models = http.get("/api/v1/models", null).json().path("data");
    JsonNode offline = null;
    for (JsonNode m : models) if (m.path("id").asText().equals("offline-echo")) offline = m;
    assertThat(offline).isNotNull();
    assertThat(offline.path("capabilities").toString()).contains("chat");
    assertThat(models.findValuesAsText("provider")).contains("openai", "anthropic", "ollama");
    assertThat(models.get(1).path("pricing").path("input_per_million_tokens").isNumber()).isTrue();
  }

  @Test
  void openApi_documentsTheRoutes() {
    JsonNode doc = http.get("/openapi.json", null).json();
    assertThat(doc.path("info").path("title").asText()).isEqualTo("Durable Flows API");
    assertThat(doc.path("paths").has("/api/llm/{orgCode}/flows/{slug}/run")).isTrue();
    assertThat(doc.path("paths").has("/api/v1/accounts/{accountId}/projects/{projectId}/flows/{flowId}/run")).isTrue();
  }

  @Test
  void docsAndRedoc_areServed() {
    assertThat(http.get("/docs", null).status()).isIn(200, 302);
    assertThat(http.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    Http.Response redoc = http.get("/redoc", null);
    assertThat(redoc.status()).isEqualTo(200);
    assertThat(redoc.body()).contains("spec-url=\"/openapi.json\"");
  }

  @Test
  void unknownRoute_returnsJson404() {
    Http.Response r = http.get("/api/v1/nothing-here", null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void wrongMethod_returnsJson405() {
    Http.Response r = http.delete("/api/v1/models", null);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.json().path("error").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void wrongContentType_returnsJson415() {
    TestOrg org = newOrg();
    Http.Response r = http.postRaw("/api/v1/flows", org.token(), "text/plain", "hello");
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().path("error").asText()).isEqualTo("unsupported_media_type");
  }

  @Test
  void errors_neverCarryStackTraces() {
    TestOrg org = newOrg();
    Http.Response r = http.postRaw("/api/v1/flows", org.token(), "application/json", "[1,2");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at org.");
    assertThat(r.json().fieldNames()).toIterable().contains("error", "message");
    Http.Response flow = http.post("/api/v1/flows", org.token(), Map.of("slug", 42));
    assertThat(flow.status()).isEqualTo(400);
    assertThat(flow.body()).doesNotContain("Exception");
  }
}
