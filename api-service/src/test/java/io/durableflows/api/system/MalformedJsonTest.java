package io.durableflows.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every route that takes a body answers malformed JSON with a JSON 400 and changes nothing. */
class MalformedJsonTest extends ApiTest {

  @Test
  void everyBodyRoute_withMalformedJson_returns400AndChangesNothing() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    List<String> orgRoutes = List.of(
        "/api/v1/flows",
        "/api/v1/flows/qa-raw/releases",
        "/api/v1/projects",
        "/api/llm/" + org.code() + "/flows/qa-raw/run",
        "/api/llm/" + org.code() + "/flows/qa-raw/run/stream",
        "/api/llm/" + org.code() + "/flows/qa-raw/chat/completions",
        "/agents/qa-raw/chat",
        "/me/api-keys",
        "/api/v1/accounts/" + org.code() + "/projects/default/flows/qa-raw/run");
    for (String route : orgRoutes) {
      Http.Response r = http.postRaw(route, org.token(), "application/json", "{\"input\": {\"question\": ");
      assertThat(r.status()).as(route).isEqualTo(400);
      assertThat(r.json().path("error").asText()).as(route).isEqualTo("invalid_json");
    }
    for (String route : List.of("/admin/v1/orgs", "/admin/v1/orgs/" + org.code() + "/tokens",
        "/admin/v1/orgs/" + org.code() + "/credits")) {
      Http.Response r = http.postRaw(route, ADMIN_TOKEN, "application/json", "{\"org_code\": ");
      assertThat(r.status()).as(route).isEqualTo(400);
    }
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
    assertThat(http.get("/api/v1/flows/qa-raw/releases", org.token()).json().path("data")).isEmpty();
    assertThat(http.get("/api/v1/projects", org.token()).json().path("data")).hasSize(1);
    assertThat(http.get("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN).json().path("data")).hasSize(1);
    assertThat(http.get("/api/v1/credits", org.token()).json().path("ledger")).hasSize(1);
  }

  @Test
  void rejectedRuns_leaveNoRunBehind() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    http.post("/api/llm/" + org.code() + "/flows/qa-raw/run", org.token(), Map.of("input", Map.of("question", 1)));
    http.postWithAuthorization("/api/v1/accounts/" + org.code() + "/projects/default/flows/qa-raw/run", org.token(),
        Map.of("body", Map.of("question", "hi"), "options", Map.of("override", Map.of("node/x.y", 1))));
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
  }
}
