package io.durableflows.api.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectRoutesTest extends ApiTest {

  @Test
  void create_returns201_andListsIt() {
    TestOrg org = newOrg();
    Http.Response r = http.post("/api/v1/projects", org.token(), Map.of("slug", "support", "name", "Support"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("id").asText()).startsWith("prj_");
    assertThat(http.get("/api/v1/projects", org.token()).json().path("data").findValuesAsText("slug"))
        .containsExactly("default", "support");
  }

  @Test
  void create_withExistingOrBadSlug_isRejected() {
    TestOrg org = newOrg();
    assertThat(http.post("/api/v1/projects", org.token(), Map.of("slug", "default")).status()).isEqualTo(409);
    assertThat(http.post("/api/v1/projects", org.token(), Map.of("slug", "Bad Slug")).status()).isEqualTo(400);
    assertThat(http.post("/api/v1/projects", org.token(), Map.of()).status()).isEqualTo(400);
    assertThat(http.post("/api/v1/projects", org.token(), Map.of("slug", "prj_lookslikeanid")).status())
        .isEqualTo(400);
  }

  @Test
  void flows_canBeCreatedInAndListedByProject() {
    TestOrg org = newOrg();
    http.post("/api/v1/projects", org.token(), Map.of("slug", "support"));
    Map<String, Object> doc = example("qa-raw");
    doc.put("project", "support");
    assertThat(http.post("/api/v1/flows", org.token(), doc).json().path("project").asText()).isEqualTo("support");
    createExample(org, "qa-openai");
    assertThat(http.get("/api/v1/flows?project=support", org.token()).json().path("data").findValuesAsText("slug"))
        .containsExactly("qa-raw");
    assertThat(http.get("/api/v1/flows?project=nope", org.token()).status()).isEqualTo(404);
  }

  @Test
  void projects_ofAnotherOrg_areInvisible() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    http.post("/api/v1/projects", other.token(), Map.of("slug", "secret"));
    assertThat(http.get("/api/v1/projects", org.token()).json().path("data").findValuesAsText("slug"))
        .containsExactly("default");
  }
}
