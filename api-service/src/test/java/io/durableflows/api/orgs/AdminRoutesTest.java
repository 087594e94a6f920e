package io.durableflows.api.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminRoutesTest extends ApiTest {

  private static String uniqueCode() {
    return "adm-" + System.nanoTime() % 1_000_000_000L;
  }

  @Test
  void createOrg_returns201_withDefaultProject() {
    String code = uniqueCode();
    Http.Response r = http.post("/admin/v1/orgs", ADMIN_TOKEN, Map.of("org_code", code, "name", "Acme"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("org_code").asText()).isEqualTo(code);
    String token = http.post("/admin/v1/orgs/" + code + "/tokens", ADMIN_TOKEN, Map.of("name", "ci")).json()
        .path("token").asText();
    JsonNode projects = http.get("/api/v1/projects", token).json().path("data");
    assertThat(projects.findValuesAsText("slug")).containsExactly("default");
  }

  @Test
  void createOrg_twice_returns409() {
    String code = uniqueCode();
    http.post("/admin/v1/orgs", ADMIN_TOKEN, Map.of("org_code", code));
    assertThat(http.post("/admin/v1/orgs", ADMIN_TOKEN, Map.of("org_code", code)).status()).isEqualTo(409);
  }

  @Test
  void createOrg_withBadCode_returns400() {
    assertThat(http.post("/admin/v1/orgs", ADMIN_TOKEN, Map.of("org_code", "Not Valid!")).status()).isEqualTo(400);
    assertThat(http.post("/admin/v1/orgs", ADMIN_TOKEN, Map.of()).status()).isEqualTo(400);
  }

  @Test
  void adminRoutes_withoutOrWithWrongAdminToken_return401() {
    assertThat(http.post("/admin/v1/orgs", null, Map.of("org_code", uniqueCode())).status()).isEqualTo(401);
    assertThat(http.post("/admin/v1/orgs", "wrong", Map.of("org_code", uniqueCode())).status()).isEqualTo(401);
    TestOrg org = newOrg();
    assertThat(http.get("/admin/v1/orgs", org.token()).status()).as("an org token is not an admin token")
        .isEqualTo(401);
  }

  @Test
  void mintToken_showsItOnce_andListingNeverShowsIt() {
    TestOrg org = newOrg();
    Http.Response minted = http.post("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN,
        Map.of("name", "reader", "scopes", List.of("runs:read")));
    assertThat(minted.status()).isEqualTo(201);
    String token = minted.json().path("token").asText();
    assertThat(token).startsWith("df_").hasSizeGreaterThan(30);
    Http.Response list = http.get("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN);
    assertThat(list.body()).doesNotContain(token);
    assertThat(list.json().path("data").findValuesAsText("name")).contains("reader");
    assertThat(http.get("/api/v1/runs", token).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/flows", token).status()).as("scope flows:read not granted").isEqualTo(403);
  }

  @Test
  void mintToken_withUnknownScope_returns400() {
    TestOrg org = newOrg();
    assertThat(http.post("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN,
        Map.of("scopes", List.of("everything"))).status()).isEqualTo(400);
  }

  @Test
  void mintToken_forUnknownOrg_returns404() {
    assertThat(http.post("/admin/v1/orgs/no-such-org/tokens", ADMIN_TOKEN, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void revokeToken_makesItUnusable() {
    TestOrg org = newOrg();
    assertThat(http.get("/api/v1/flows", org.token()).status()).isEqualTo(200);
    assertThat(http.delete("/admin/v1/orgs/" + org.code() + "/tokens/" + org.tokenId(), ADMIN_TOKEN).status())
        .isEqualTo(204);
    assertThat(http.get("/api/v1/flows", org.token()).status()).isEqualTo(401);
  }

  @Test
  void revokeToken_ofAnotherOrg_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    assertThat(http.delete("/admin/v1/orgs/" + other.code() + "/tokens/" + org.tokenId(), ADMIN_TOKEN).status())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/flows", org.token()).status()).isEqualTo(200);
  }

  @Test
  void bootstrapOrgAndToken_fromConfiguration_work() {
    assertThat(http.get("/api/v1/flows", BOOTSTRAP_TOKEN).status()).isEqualTo(200);
    assertThat(orgs.find("bootorg")).isPresent();
  }

  @Test
  void mintToken_withNullScope_returns400() {
    TestOrg org = newOrg();
    java.util.List<String> scopes = new java.util.ArrayList<>();
    scopes.add(null);
    assertThat(http.post("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN, Map.of("scopes", scopes)).status())
        .isEqualTo(400);
  }

  @Test
  void configuredToken_onceRevoked_staysRevokedWhenRegisteredAgain() {
    TestOrg org = newOrg();
    String raw = "df_configured_" + System.nanoTime();
    assertThat(tokens.registerIfAbsent(org.id(), "configured", raw)).isTrue();
    String id = tokens.findByRaw(raw).orElseThrow().tokenId();
    tokens.revoke(org.id(), id);
    assertThat(tokens.registerIfAbsent(org.id(), "configured", raw)).isFalse();
    assertThat(http.get("/api/v1/flows", raw).status()).isEqualTo(401);
    assertThat(http.get("/admin/v1/orgs/" + org.code() + "/tokens", ADMIN_TOKEN).body()).doesNotContain(raw.substring(0, 8));
  }
}
