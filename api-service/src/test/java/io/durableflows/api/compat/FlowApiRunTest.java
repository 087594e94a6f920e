package io.durableflows.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 000: POST /api/llm/{org_code}/flows/{slug}/run. */
class FlowApiRunTest extends ApiTest {

  private String runPath(TestOrg org, String slug) {
    return "/api/llm/" + org.code() + "/flows/" + slug + "/run";
  }

  @Test
  void run_withRawOutput_returnsJustTheText() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post(runPath(org, "qa-raw"), org.token(), input("question", "How do I reset my password?"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.body()).startsWith("Offline answer to \"How do I reset my password?\"");
    assertThat(r.header("X-Run-Id")).startsWith("run_");
  }

  @Test
  void run_withOpenAiOutput_returnsTheDocumentedChatCompletion() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    Http.Response r = http.post(runPath(org, "qa-openai"), org.token(), input("question", "Hello?"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("id").asText()).startsWith("flowrun_run_");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").isIntegralNumber()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("offline-echo");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).contains("Hello?");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = body.path("usage");
    assertThat(usage.path("total_tokens").asLong())
        .isEqualTo(usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong())
        .isPositive();
  }

  @Test
  void run_withJsonTemplateOutput_returnsTheTemplateWithInputAndAnswer() {
    TestOrg org = newOrg();
    createExample(org, "qa-template");
    Http.Response r = http.post(runPath(org, "qa-template"), org.token(),
        input("question", "Why durable?", "user_id", "u_42"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("question").asText()).isEqualTo("Why durable?");
    assertThat(body.path("user_id").asText()).isEqualTo("u_42");
    assertThat(body.path("answer").asText()).contains("Why durable?");
    assertThat(body.path("tokens").isIntegralNumber()).isTrue();
    assertThat(body.fieldNames()).toIterable().containsExactly("question", "user_id", "answer", "model", "tokens");
  }

  @Test
  void run_withMissingRequiredInput_returns400NamingTheField() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post(runPath(org, "qa-raw"), org.token(), Map.of("input", Map.of()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_input");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("input.question");
  }

  @Test
  void run_withWrongTypesAndUnknownFields_returns400NamingEach() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post(runPath(org, "qa-raw"), org.token(),
        input("question", 42, "tone", "angry", "extra", true));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("input.question", "input.tone", "input.extra");
  }

  @Test
  void run_withoutInput_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post(runPath(org, "qa-raw"), org.token(), Map.of("metadata", Map.of()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("message").asText()).contains("input");
  }

  @Test
  void run_withInputNotAnObject_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.post(runPath(org, "qa-raw"), org.token(), Map.of("input", "text")).status()).isEqualTo(400);
  }

  @Test
  void run_storesMetadataWithTheRun() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Map<String, Object> body = new java.util.HashMap<>(input("question", "hi"));
    body.put("metadata", Map.of("session_id", "abc-123"));
    String runId = http.post(runPath(org, "qa-raw"), org.token(), body).header("X-Run-Id");
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("metadata").path("session_id").asText()).isEqualTo("abc-123");
    assertThat(run.path("channel").asText()).isEqualTo("flow_api");
  }

  @Test
  void run_usesTheLatestReleaseNotTheDraft() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "v1"));
    String runId = http.post(runPath(org, "qa-raw"), org.token(), input("question", "hi")).header("X-Run-Id");
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("version").asText()).isEqualTo("v1");
  }

  @Test
  void run_withoutRelease_usesTheDraft() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String runId = http.post(runPath(org, "qa-raw"), org.token(), input("question", "hi")).header("X-Run-Id");
    assertThat(http.get("/api/v1/runs/" + runId, org.token()).json().path("version").asText()).isEqualTo("draft");
  }

  @Test
  void run_withAnotherOrgsCode_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(other, "qa-raw");
    Http.Response r = http.post("/api/llm/" + other.code() + "/flows/qa-raw/run", org.token(), input("question", "hi"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void run_withUnknownFlow_returns404() {
    TestOrg org = newOrg();
    assertThat(http.post(runPath(org, "nope"), org.token(), input("question", "hi")).status()).isEqualTo(404);
  }

  @Test
  void run_withoutToken_returns401() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.post(runPath(org, "qa-raw"), null, input("question", "hi")).status()).isEqualTo(401);
  }

  @Test
  void run_withRevokedToken_returns401() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    tokens.revoke(org.id(), org.tokenId());
    Http.Response r = http.post(runPath(org, "qa-raw"), org.token(), input("question", "hi"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_token");
  }

  @Test
  void run_withMalformedAuthorization_returns401() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.postWithAuthorization(runPath(org, "qa-raw"), "Bearer ", input("question", "hi")).status())
        .isEqualTo(401);
    assertThat(http.postWithAuthorization(runPath(org, "qa-raw"), "Bearer a b", input("question", "hi")).status())
        .isEqualTo(401);
  }
}
