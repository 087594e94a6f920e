package io.durableflows.api.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptBlockRoutesTest extends ApiTest {
  private static Map<String, Object> block(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private JsonNode create(TestOrg org, Map<String, Object> doc) {
    Http.Response r = http.post("/api/v1/prompt-blocks", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void create_static_thenGetListPatchDelete() {
    TestOrg org = newOrg();
    JsonNode created = create(org, block("name", "tone", "description", "How to sound", "body", "Be kind to {{user}}."));
    assertThat(created.path("type").asText()).isEqualTo("static");
    assertThat(created.path("cache").path("state").asText()).isEqualTo("not_cached");

    assertThat(http.get("/api/v1/prompt-blocks", org.token()).json().path("data").findValuesAsText("name"))
        .containsExactly("tone");
    assertThat(http.get("/api/v1/prompt-blocks/tone", org.token()).json().path("body").asText())
        .isEqualTo("Be kind to {{user}}.");

    JsonNode patched = http.patch("/api/v1/prompt-blocks/tone", org.token(), Map.of("body", "Be brief.")).json();
    assertThat(patched.path("body").asText()).isEqualTo("Be brief.");
    assertThat(patched.path("description").asText()).isEqualTo("How to sound");

    assertThat(http.delete("/api/v1/prompt-blocks/tone", org.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/prompt-blocks/tone", org.token()).status()).isEqualTo(404);
  }

  @Test
  void create_withTakenName_is409() {
    TestOrg org = newOrg();
    create(org, block("name", "tone", "body", "x"));

    Http.Response r = http.post("/api/v1/prompt-blocks", org.token(), block("name", "tone", "body", "y"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("block_exists");
  }

  @Test
  void preview_wrapsTheStaticBlockWithVariablesRendered() {
    TestOrg org = newOrg();
    create(org, block("name", "tone", "body", "Be kind to {{user}}."));

    JsonNode preview = http.post("/api/v1/prompt-blocks/tone/preview", org.token(),
        Map.of("variables", Map.of("user", "Ada"))).json();

    assertThat(preview.path("content").asText()).isEqualTo("Be kind to Ada.");
    assertThat(preview.path("preview").asText()).isEqualTo("<block name=\"tone\">\nBe kind to Ada.\n</block>");
  }

  @Test
  void dynamicBlock_isRenderedOnceWhileCached_andAgainAfterInvalidation() {
    TestOrg org = newOrg();
    JsonNode created = create(org, block("name", "clock", "source", Map.of("kind", "current_time", "timezone", "UTC"),
        "ttl_seconds", 3600));
    assertThat(created.path("type").asText()).isEqualTo("dynamic");
    assertThat(created.path("cache").path("state").asText()).isEqualTo("empty");

    JsonNode first = http.post("/api/v1/prompt-blocks/clock/preview", org.token(), Map.of()).json();
    assertThat(first.path("content").asText()).startsWith("Current time: ").endsWith("(" + dayOfWeek() + ", UTC)");
    assertThat(first.path("cache").asText()).isEqualTo("rendered");
    JsonNode second = http.post("/api/v1/prompt-blocks/clock/preview", org.token(), null).json();
    assertThat(second.path("cache").asText()).isEqualTo("hit");
    assertThat(second.path("content").asText()).isEqualTo(first.path("content").asText());
    JsonNode cached = http.get("/api/v1/prompt-blocks/clock", org.token()).json();
    assertThat(cached.path("render_count").asLong()).isEqualTo(1);
    assertThat(cached.path("cache").path("state").asText()).isEqualTo("fresh");

    JsonNode invalidated = http.post("/api/v1/prompt-blocks/clock/invalidate-cache", org.token(), null).json();
    assertThat(invalidated.path("invalidated").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/prompt-blocks/clock", org.token()).json().path("cache").path("state").asText())
        .isEqualTo("empty");

    JsonNode third = http.post("/api/v1/prompt-blocks/clock/preview", org.token(), null).json();
    assertThat(third.path("cache").asText()).isEqualTo("rendered");
    assertThat(http.get("/api/v1/prompt-blocks/clock", org.token()).json().path("render_count").asLong())
        .isEqualTo(2);
  }

  private static String dayOfWeek() {
    return java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getDayOfWeek()
        .getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
  }

  @Test
  void invalidate_ofStaticBlock_is400() {
    TestOrg org = newOrg();
    create(org, block("name", "tone", "body", "x"));

    Http.Response r = http.post("/api/v1/prompt-blocks/tone/invalidate-cache", org.token(), null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("not_cacheable");
  }

  @Test
  void create_withBadInput_returns400NamingEachField() {
    TestOrg org = newOrg();

    Http.Response noBody = http.post("/api/v1/prompt-blocks", org.token(), block("name", "tone"));
    assertThat(noBody.status()).isEqualTo(400);
    assertThat(noBody.json().path("details").findValuesAsText("field")).containsExactly("body");

    Http.Response badSource = http.post("/api/v1/prompt-blocks", org.token(),
        block("name", "w", "source", Map.of("kind", "weather"), "ttl_seconds", -1));
    assertThat(badSource.status()).isEqualTo(400);
    assertThat(badSource.json().path("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("source.kind", "ttl_seconds");

    Http.Response badZone = http.post("/api/v1/prompt-blocks", org.token(),
        block("name", "w", "source", Map.of("kind", "current_time", "timezone", "Mars/Olympus")));
    assertThat(badZone.json().path("details").findValuesAsText("field")).containsExactly("source.timezone");

    Http.Response mixed = http.post("/api/v1/prompt-blocks", org.token(),
        block("name", "Bad Name", "type", "dynamic", "body", "x", "extra", 1));
    assertThat(mixed.json().path("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("name", "body", "source", "extra");

    assertThat(http.postRaw("/api/v1/prompt-blocks", org.token(), "application/json", "{\"name\":").status())
        .isEqualTo(400);
    assertThat(http.get("/api/v1/prompt-blocks", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void patch_andPreview_withBadInput_return400() {
    TestOrg org = newOrg();
    create(org, block("name", "tone", "body", "x"));

    assertThat(http.patch("/api/v1/prompt-blocks/tone", org.token(), Map.of("type", "dynamic")).status()).isEqualTo(400);
    assertThat(http.patch("/api/v1/prompt-blocks/tone", org.token(), Map.of("body", "")).status()).isEqualTo(400);
    assertThat(http.patch("/api/v1/prompt-blocks/tone", org.token(), Map.of("ttl_seconds", "soon")).status())
        .isEqualTo(400);
    assertThat(http.post("/api/v1/prompt-blocks/tone/preview", org.token(), Map.of("variables", "x")).status())
        .isEqualTo(400);
    assertThat(http.get("/api/v1/prompt-blocks/tone", org.token()).json().path("body").asText()).isEqualTo("x");
  }

  @Test
  void anotherOrgsBlock_is404() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    create(owner, block("name", "tone", "body", "x"));

    assertThat(http.get("/api/v1/prompt-blocks/tone", other.token()).status()).isEqualTo(404);
    assertThat(http.patch("/api/v1/prompt-blocks/tone", other.token(), Map.of("body", "y")).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/prompt-blocks/tone/preview", other.token(), null).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/prompt-blocks/tone/invalidate-cache", other.token(), null).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/prompt-blocks/tone", other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/prompt-blocks", other.token()).json().path("data")).isEmpty();
    assertThat(http.get("/api/v1/prompt-blocks/tone", owner.token()).json().path("body").asText()).isEqualTo("x");
  }
}
