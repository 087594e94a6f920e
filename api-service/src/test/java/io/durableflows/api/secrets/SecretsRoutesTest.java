package io.durableflows.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class SecretsRoutesTest extends ApiTest {
  private static final String VALUE = "sk-routes-test-value-0042";

  @Autowired
  JdbcClient jdbc;

  @Test
  void put_thenList_showsNamesAndTimestampsButNeverTheValue() {
    TestOrg org = newOrg();

    Http.Response created = http.put("/api/v1/secrets/WEATHER_KEY", org.token(), Map.of("value", VALUE));
    Http.Response replaced = http.put("/api/v1/secrets/WEATHER_KEY", org.token(), Map.of("value", VALUE + "-2"));
    Http.Response list = http.get("/api/v1/secrets", org.token());

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("name").asText()).isEqualTo("WEATHER_KEY");
    assertThat(created.json().has("created_at")).isTrue();
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("data")).hasSize(1);
    assertThat(list.json().get("data").get(0).get("name").asText()).isEqualTo("WEATHER_KEY");
    assertThat(list.json().get("data").get(0).has("updated_at")).isTrue();
    for (Http.Response r : List.of(created, replaced, list)) {
      assertThat(r.body()).doesNotContain(VALUE).doesNotContain("value");
    }
  }

  @Test
  void storedValue_isEncrypted() {
    TestOrg org = newOrg();

    http.put("/api/v1/secrets/DB_PASSWORD", org.token(), Map.of("value", VALUE));

    byte[] stored = jdbc.sql("select ciphertext from secrets where org_id = ? and name = 'DB_PASSWORD'")
        .param(org.id()).query(byte[].class).single();
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(VALUE);
    assertThat(stored.length).isGreaterThan(VALUE.length());
  }

  @Test
  void secrets_areSeparatePerOrg() {
    TestOrg a = newOrg();
    TestOrg b = newOrg();
    http.put("/api/v1/secrets/SHARED_NAME", a.token(), Map.of("value", VALUE));

    assertThat(http.get("/api/v1/secrets", b.token()).json().get("data")).isEmpty();
    assertThat(http.delete("/api/v1/secrets/SHARED_NAME", b.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/secrets", a.token()).json().get("data")).hasSize(1);
  }

  @Test
  void delete_removesIt_thenAnswers404() {
    TestOrg org = newOrg();
    http.put("/api/v1/secrets/TEMP", org.token(), Map.of("value", "x"));

    assertThat(http.delete("/api/v1/secrets/TEMP", org.token()).status()).isEqualTo(204);
    assertThat(http.delete("/api/v1/secrets/TEMP", org.token()).json().get("error").asText()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/secrets", org.token()).json().get("data")).isEmpty();
  }

  @Test
  void badInput_isRefusedWith400() {
    TestOrg org = newOrg();

    Http.Response empty = http.put("/api/v1/secrets/OK_NAME", org.token(), Map.of("value", ""));
    Http.Response missing = http.put("/api/v1/secrets/OK_NAME", org.token(), Map.of());
    Http.Response wrongType = http.put("/api/v1/secrets/OK_NAME", org.token(), Map.of("value", 42));
    Http.Response badName = http.put("/api/v1/secrets/9-bad-name", org.token(), Map.of("value", "x"));
    Http.Response tooBig = http.put("/api/v1/secrets/BIG", org.token(), Map.of("value", "x".repeat(70_000)));
    Http.Response badJson = http.put("/api/v1/secrets/OK_NAME", org.token(), "not json");

    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("details").get(0).get("field").asText()).isEqualTo("value");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().get("details").get(0).get("field").asText()).isEqualTo("name");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(http.get("/api/v1/secrets", org.token()).json().get("data")).isEmpty();
  }

  @Test
  void withoutAToken_isRefused() {
    assertThat(http.get("/api/v1/secrets", null).status()).isEqualTo(401);
  }
}
