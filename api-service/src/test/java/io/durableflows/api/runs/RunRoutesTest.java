package io.durableflows.api.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRoutesTest extends ApiTest {

  private String runQaRaw(TestOrg org, String question) {
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/qa-raw/run", org.token(), input("question", question));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.header("X-Run-Id");
  }

  @Test
  void get_returnsStatusTimingsUsageOutputAndWorkflow() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    String id = runQaRaw(org, "hi");
    JsonNode run = http.get("/api/v1/runs/" + id, org.token()).json();
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("flow").asText()).isEqualTo("qa-raw");
    assertThat(run.path("input").path("question").asText()).isEqualTo("hi");
    assertThat(run.path("input").path("tone").asText()).as("defaults are applied").isEqualTo("plain");
    assertThat(run.path("output").asText()).contains("hi");
    assertThat(run.path("usage").path("total_tokens").asLong()).isPositive();
    assertThat(run.path("cost_usd").isNumber()).isTrue();
    assertThat(run.path("started_at").asText()).isNotBlank();
    assertThat(run.path("finished_at").asText()).isNotBlank();
    assertThat(run.path("duration_ms").isNumber()).isTrue();
    assertThat(run.path("error").isNull()).isTrue();
    assertThat(run.path("workflow_id").asText()).isEqualTo("run/" + org.code() + "/qa-raw/" + id);
    assertThat(run.path("temporal_ui_url").asText())
        .isEqualTo("http://temporal-ui.test:8080/namespaces/default/workflows/run%2F" + org.code() + "%2Fqa-raw%2F" + id);
  }

  @Test
  void get_ofAnotherOrgsRun_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    String id = runQaRaw(org, "hi");
    assertThat(http.get("/api/v1/runs/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/runs", other.token()).json().path("data")).isEmpty();
  }

  @Test
  void get_ofUnknownRun_returns404() {
    TestOrg org = newOrg();
    Http.Response r = http.get("/api/v1/runs/run_nope", org.token());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void list_pagesNewestFirstWithACursor() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(runQaRaw(org, "q" + i));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = http.get("/api/v1/runs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), org.token()).json();
      page.path("data").forEach(r -> seen.add(r.path("id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(ids.reversed());
  }

  @Test
  void list_filtersByFlowAndStatus() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    createExample(org, "qa-openai");
    runQaRaw(org, "a");
    http.post("/api/llm/" + org.code() + "/flows/qa-openai/run", org.token(), input("question", "b"));
    JsonNode byFlow = http.get("/api/v1/runs?flow=qa-openai", org.token()).json().path("data");
    assertThat(byFlow).hasSize(1);
    assertThat(byFlow.get(0).path("flow").asText()).isEqualTo("qa-openai");
    assertThat(http.get("/api/v1/runs?status=completed", org.token()).json().path("data")).hasSize(2);
    assertThat(http.get("/api/v1/runs?status=failed", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void list_withBadParameters_returns400() {
    TestOrg org = newOrg();
    assertThat(http.get("/api/v1/runs?cursor=!!!", org.token()).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs?cursor=bm9wZQ", org.token()).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs?status=weird", org.token()).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs?limit=0", org.token()).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs?limit=abc", org.token()).status()).isEqualTo(400);
  }

  @Test
  void list_withoutToken_returns401() {
    assertThat(http.get("/api/v1/runs", null).status()).isEqualTo(401);
  }
}
