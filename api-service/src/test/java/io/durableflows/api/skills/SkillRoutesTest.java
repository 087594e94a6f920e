package io.durableflows.api.skills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkillRoutesTest extends ApiTest {
  static Map<String, Object> skill(String description, String body) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("description", description);
    s.put("body", body);
    return s;
  }

  @Test
  void put_createsThenReplaces_andGetShowsTheBody() {
    TestOrg org = newOrg();
    Map<String, Object> doc = skill("Sort tickets", "1. Read the ticket.\n2. Tag its urgency.");
    doc.put("files", Map.of("checklist.md", "- urgent: outage"));

    Http.Response created = http.put("/api/v1/skills/triage", org.token(), doc);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Http.Response replaced = http.put("/api/v1/skills/triage", org.token(), skill("Sort tickets fast", "Tag it."));
    assertThat(replaced.status()).isEqualTo(200);

    JsonNode got = http.get("/api/v1/skills/triage", org.token()).json();
    assertThat(got.path("name").asText()).isEqualTo("triage");
    assertThat(got.path("description").asText()).isEqualTo("Sort tickets fast");
    assertThat(got.path("body").asText()).isEqualTo("Tag it.");
    assertThat(got.path("files")).isEmpty();
    assertThat(got.has("updated_at")).isTrue();
  }

  @Test
  void list_showsNameDescriptionAndUpdated() {
    TestOrg org = newOrg();
    http.put("/api/v1/skills/refunds", org.token(), skill("Refund rules", "Refund within 30 days."));
    http.put("/api/v1/skills/billing", org.token(), skill(null, "Invoices go out monthly."));

    JsonNode data = http.get("/api/v1/skills", org.token()).json().path("data");

    assertThat(data).hasSize(2);
    assertThat(data.get(0).path("name").asText()).isEqualTo("billing");
    assertThat(data.get(1).path("description").asText()).isEqualTo("Refund rules");
    assertThat(data.get(1).has("updated_at")).isTrue();
    assertThat(data.get(1).has("body")).isFalse();
  }

  @Test
  void content_givesTheBodyOrANamedFile() {
    TestOrg org = newOrg();
    Map<String, Object> doc = skill("Sort tickets", "Read, then tag.");
    doc.put("files", Map.of("examples/urgent.md", "Site down: urgent"));
    http.put("/api/v1/skills/triage", org.token(), doc);

    JsonNode body = http.get("/api/v1/skills/triage/content", org.token()).json();
    assertThat(body.path("content").asText()).isEqualTo("Read, then tag.");
    JsonNode file = http.get("/api/v1/skills/triage/content?file=examples/urgent.md", org.token()).json();
    assertThat(file.path("file").asText()).isEqualTo("examples/urgent.md");
    assertThat(file.path("content").asText()).isEqualTo("Site down: urgent");

    Http.Response missing = http.get("/api/v1/skills/triage/content?file=nope.md", org.token());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void delete_removesTheSkill() {
    TestOrg org = newOrg();
    http.put("/api/v1/skills/triage", org.token(), skill("x", "y"));

    assertThat(http.delete("/api/v1/skills/triage", org.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/skills/triage", org.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/skills/triage", org.token()).status()).isEqualTo(404);
  }

  @Test
  void put_withBadInput_returns400NamingEachField() {
    TestOrg org = newOrg();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("description", 5);
    doc.put("files", List.of("a"));
    doc.put("colour", "red");

    Http.Response r = http.put("/api/v1/skills/triage", org.token(), doc);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_skill");
    assertThat(r.json().path("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("description", "body", "files", "colour");
    assertThat(http.put("/api/v1/skills/Bad%20Name", org.token(), skill("x", "y")).status()).isEqualTo(400);
    Map<String, Object> badFile = skill("x", "y");
    badFile.put("files", Map.of("../etc/passwd", "x"));
    assertThat(http.put("/api/v1/skills/triage", org.token(), badFile).status()).isEqualTo(400);
    assertThat(http.postRaw("/api/v1/skills", org.token(), "application/json", "{").status()).isIn(400, 405);
    assertThat(http.get("/api/v1/skills/triage", org.token()).status()).isEqualTo(404);
  }

  @Test
  void anotherOrgsSkill_is404() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    http.put("/api/v1/skills/triage", owner.token(), skill("x", "y"));

    assertThat(http.get("/api/v1/skills/triage", other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/skills/triage/content", other.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/skills/triage", other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/skills", other.token()).json().path("data")).isEmpty();
    assertThat(http.get("/api/v1/skills/triage", owner.token()).status()).isEqualTo(200);
  }

  @Test
  void withoutToken_is401() {
    assertThat(http.get("/api/v1/skills", null).status()).isEqualTo(401);
  }
}
