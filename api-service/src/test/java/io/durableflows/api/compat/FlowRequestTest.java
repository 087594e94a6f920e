package io.durableflows.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 001: POST /api/v1/accounts/{account_id}/projects/{project_id}/flows/{flow_id}/run. */
class FlowRequestTest extends ApiTest {

  private static String path(TestOrg org, String project, String flow) {
    return "/api/v1/accounts/" + org.code() + "/projects/" + project + "/flows/" + flow + "/run";
  }

  private Http.Response run(TestOrg org, String flow, Map<String, Object> request) {
    return http.postWithAuthorization(path(org, "default", flow), org.token(), request);
  }

  @Test
  void run_returnsEveryDocumentedField() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", "Hello"),
        "options", Map.of("stream", "none")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(b.fieldNames()).toIterable().contains("startTime", "id", "flow_id", "flow_session_id", "body",
        "requestParams", "status", "top_request_id", "userMessage", "flow_history_id", "version", "response",
        "aiMessage", "eval_job_id", "endTime", "duration", "created");
    assertThat(b.path("status").asText()).isEqualTo("complete");
    assertThat(b.path("top_request_id").asText()).isEqualTo(b.path("id").asText());
    assertThat(b.path("body").path("question").asText()).isEqualTo("Hello");
    assertThat(b.path("requestParams").path("stream").asText()).isEqualTo("none");
    assertThat(b.path("requestParams").has("override")).isTrue();
    assertThat(b.path("userMessage").path("role").asText()).isEqualTo("user");
    assertThat(b.path("userMessage").path("content").asText()).isEqualTo("Hello");
    assertThat(b.path("aiMessage").path("role").asText()).isEqualTo("assistant");
    assertThat(b.path("aiMessage").path("steps").isArray()).isTrue();
    assertThat(b.path("aiMessage").path("content").asText()).contains("Hello");
    assertThat(b.path("response").path("text").asText()).isEqualTo(b.path("aiMessage").path("content").asText());
    assertThat(b.path("eval_job_id").isNull()).isTrue();
    assertThat(b.path("duration").isNumber()).isTrue();
    assertThat(b.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(b.path("flow_history_id").asText()).isNotBlank();
  }

  @Test
  void run_withoutSession_createsOne_andEchoesAGivenOne() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String created = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"))).json()
        .path("flow_session_id").asText();
    assertThat(created).isNotBlank();
    JsonNode again = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"),
        "options", Map.of("flow_session_id", created))).json();
    assertThat(again.path("flow_session_id").asText()).isEqualTo(created);
  }

  @Test
  void run_withOpenAiFlow_respondsWithTheOutputNodeObject() {
    TestOrg org = newOrg();
    createExample(org, "qa-openai");
    JsonNode b = run(org, "qa-openai", Map.of("body", Map.of("question", "hi"))).json();
    assertThat(b.path("response").path("object").asText()).isEqualTo("chat.completion");
  }

  @Test
  void run_acceptsKeyWithoutBearer_andFlowIdOrSlug() {
    TestOrg org = newOrg();
    String flowId = createExample(org, "qa-raw").path("id").asText();
    Http.Response r = http.postWithAuthorization(path(org, "default", flowId), org.token(),
        Map.of("body", Map.of("question", "hi")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("flow_id").asText()).isEqualTo(flowId);
    Http.Response bearer = http.postWithAuthorization(path(org, "default", "qa-raw"), "Bearer " + org.token(),
        Map.of("body", Map.of("question", "hi")));
    assertThat(bearer.status()).isEqualTo(200);
  }

  @Test
  void run_withVersion_usesThatRelease() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    JsonNode release = http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "0.0.1")).json();
    http.post("/api/v1/flows/qa-raw/releases", org.token(), Map.of("version", "0.0.2"));
    JsonNode b = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"),
        "options", Map.of("version", "0.0.1"))).json();
    assertThat(b.path("version").asText()).isEqualTo("0.0.1");
    assertThat(b.path("flow_history_id").asText()).isEqualTo(release.path("flow_history_id").asText());
  }

  @Test
  void run_withUnknownVersion_returns404() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options", Map.of("version", "9")));
    assertThat(r.status()).isEqualTo(404);
  }

  @Test
  void run_withOverride_changesTheNodeForThisRunOnly() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    JsonNode b = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options",
        Map.of("override", Map.of("node/answer.prompt", "OVERRIDDEN {{input.question}}")))).json();
    assertThat(b.path("aiMessage").path("content").asText()).contains("OVERRIDDEN hi");
    assertThat(b.path("requestParams").path("override").path("node/answer.prompt").asText()).startsWith("OVERRIDDEN");
    JsonNode plain = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"))).json();
    assertThat(plain.path("aiMessage").path("content").asText()).doesNotContain("OVERRIDDEN");
  }

  @Test
  void run_withOverrideOfUnknownNode_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"),
        "options", Map.of("override", Map.of("node/nope.temperature", 0.1))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_override");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("options.override.node/nope.temperature");
  }

  @Test
  void run_withOverrideOfUnknownProperty_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"),
        "options", Map.of("override", Map.of("node/answer.colour", "red"))));
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void run_withOverrideValueTheNodeRejects_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", "hi"),
        "options", Map.of("override", Map.of("node/answer.temperature", 7))));
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void run_withoutBody_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(run(org, "qa-raw", Map.of("options", Map.of())).status()).isEqualTo(400);
  }

  @Test
  void run_withBadInput_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = run(org, "qa-raw", Map.of("body", Map.of("question", List.of())));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("input.question");
  }

  @Test
  void run_withBadOptions_returns400() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options", Map.of("stream", "sse")))
        .status()).isEqualTo(400);
    assertThat(run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options",
        Map.of("evalOptions", Map.of("runMode", "later")))).status()).isEqualTo(400);
    assertThat(run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options", "x")).status())
        .isEqualTo(400);
  }

  @Test
  void run_withEvalRunModeSkip_isAccepted() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(run(org, "qa-raw", Map.of("body", Map.of("question", "hi"), "options",
        Map.of("evalOptions", Map.of("runMode", "skip")))).status()).isEqualTo(200);
  }

  @Test
  void run_withUnknownProject_returns404() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.postWithAuthorization(path(org, "nope", "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "hi"))).status()).isEqualTo(404);
  }

  @Test
  void run_withFlowOfAnotherProject_returns404() {
    TestOrg org = newOrg();
    http.post("/api/v1/projects", org.token(), Map.of("slug", "other"));
    createExample(org, "qa-raw");
    assertThat(http.postWithAuthorization(path(org, "other", "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "hi"))).status()).isEqualTo(404);
  }

  @Test
  void run_withAnotherAccount_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(other, "qa-raw");
    assertThat(http.postWithAuthorization(path(other, "default", "qa-raw"), org.token(),
        Map.of("body", Map.of("question", "hi"))).status()).isEqualTo(404);
  }

  @Test
  void run_withoutKey_returns401() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    assertThat(http.postWithAuthorization(path(org, "default", "qa-raw"), null,
        Map.of("body", Map.of("question", "hi"))).status()).isEqualTo(401);
  }
}
