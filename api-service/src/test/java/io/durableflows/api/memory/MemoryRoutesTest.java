package io.durableflows.api.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 002's memory blocks (compare-and-set on a version) and recall. */
class MemoryRoutesTest extends ApiTest {
  private static final String BLOCKS = "/api/v1/memory/blocks/";

  private static Map<String, Object> write(String value, Object version) {
    Map<String, Object> body = new HashMap<>();
    body.put("value", value);
    if (version != null) body.put("version", version);
    return body;
  }

  @Test
  void put_createsThenReplacesByVersion_andAStaleVersionIs409WithTheCurrentOne() {
    TestOrg org = newOrg();

    Http.Response created = http.put(BLOCKS + "persona", org.token(), write("friendly", null));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("version").asInt()).isEqualTo(1);

    Http.Response replaced = http.put(BLOCKS + "persona", org.token(), write("formal", 1));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().path("version").asInt()).isEqualTo(2);

    Http.Response stale = http.put(BLOCKS + "persona", org.token(), write("casual", 1));
    assertError(stale, 409, "version_conflict");
    assertThat(stale.json().path("current_version").asInt()).isEqualTo(2);
    assertThat(stale.json().path("message").asText()).contains("version 2");

    Http.Response createAgain = http.put(BLOCKS + "persona", org.token(), write("casual", 0));
    assertError(createAgain, 409, "version_conflict");
    assertThat(createAgain.json().path("current_version").asInt()).isEqualTo(2);

    Http.Response missing = http.put(BLOCKS + "goals", org.token(), write("x", 3));
    assertError(missing, 409, "version_conflict");
    assertThat(missing.json().path("current_version").asInt()).isZero();

    JsonNode block = http.get(BLOCKS + "persona", org.token()).json();
    assertThat(block.path("value").asText()).isEqualTo("formal");
    assertThat(block.path("version").asInt()).isEqualTo(2);
  }

  @Test
  void concurrentWriters_ofTheSameVersion_exactlyOneWins() throws Exception {
    TestOrg org = newOrg();
    http.put(BLOCKS + "counter", org.token(), write("0", 0));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      var answers = new java.util.ArrayList<java.util.concurrent.Future<Http.Response>>();
      for (int i = 0; i < 8; i++) {
        String value = "writer " + i;
        answers.add(pool.submit(() -> http.put(BLOCKS + "counter", org.token(), write(value, 1))));
      }
      int won = 0;
      for (var a : answers) {
        Http.Response r = a.get();
        if (r.status() == 200) {
          won++;
        } else {
          assertError(r, 409, "version_conflict");
          assertThat(r.json().path("current_version").asInt()).isEqualTo(2);
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(http.get(BLOCKS + "counter", org.token()).json().path("version").asInt()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void list_getAndDelete_ofTheCallersOrgOnly() {
    TestOrg org = newOrg();
    http.put(BLOCKS + "b_two", org.token(), write("2", 0));
    http.put(BLOCKS + "a_one", org.token(), write("1", 0));
    TestOrg other = newOrg();

    JsonNode list = http.get("/api/v1/memory/blocks", org.token()).json().path("data");
    assertThat(list.findValuesAsText("type")).containsExactly("a_one", "b_two");
    assertThat(http.get("/api/v1/memory/blocks", other.token()).json().path("data")).isEmpty();
    assertError(http.get(BLOCKS + "a_one", other.token()), 404, "not_found");
    assertError(http.put(BLOCKS + "a_one", other.token(), write("mine", 1)), 409, "version_conflict");
    assertError(http.delete(BLOCKS + "a_one", other.token()), 404, "not_found");

    assertError(http.delete(BLOCKS + "a_one?version=7", org.token()), 409, "version_conflict");
    assertThat(http.delete(BLOCKS + "a_one?version=1", org.token()).status()).isEqualTo(204);
    assertError(http.get(BLOCKS + "a_one", org.token()), 404, "not_found");
    assertError(http.delete(BLOCKS + "a_one", org.token()), 404, "not_found");
    assertThat(http.get(BLOCKS + "b_two", org.token()).json().path("value").asText()).isEqualTo("2");
  }

  @Test
  void put_withBadInput_is400() {
    TestOrg org = newOrg();
    assertError(http.put(BLOCKS + "p", org.token(), Map.of()), 400, "invalid_request");
    assertError(http.put(BLOCKS + "p", org.token(), Map.of("value", 3)), 400, "invalid_request");
    assertError(http.put(BLOCKS + "p", org.token(), write("v", "1")), 400, "invalid_request");
    assertError(http.put(BLOCKS + "p", org.token(), write("v", -1)), 400, "invalid_request");
    assertError(http.put(BLOCKS + "p", org.token(), write("v", 1.5)), 400, "invalid_request");
    assertError(http.put(BLOCKS + "has%20space", org.token(), write("v", 0)), 400, "invalid_request");
    assertError(http.get(BLOCKS + "x".repeat(65), org.token()), 400, "invalid_request");
    assertError(http.delete(BLOCKS + "p?version=abc", org.token()), 400, "invalid_request");
  }

  @Test
  void recall_findsMemoryBlocksAndConversationMessages_bestFirst() {
    TestOrg org = newOrg();
    http.put(BLOCKS + "profile", org.token(), write("Ada drinks green tea every morning.", 0));
    String conv = http.post("/api/v1/conversations", org.token(), Map.of("title", "chat")).json().path("id").asText();
    http.post("/api/v1/conversations/" + conv + "/messages", org.token(),
        Map.of("content", "Remind me which tea Ada likes"));
    http.post("/api/v1/conversations/" + conv + "/messages", org.token(), Map.of("content", "Nothing relevant here"));
    TestOrg other = newOrg();
    http.put(BLOCKS + "profile", other.token(), write("green tea lover", 0));

    JsonNode hits = http.post("/api/v1/memory/recall", org.token(), Map.of("query", "green tea", "limit", 10))
        .json().path("data");

    assertThat(hits).hasSize(2);
    assertThat(hits.get(0).path("source").asText()).isEqualTo("memory_block");
    assertThat(hits.get(0).path("type").asText()).isEqualTo("profile");
    assertThat(hits.get(1).path("source").asText()).isEqualTo("conversation_message");
    assertThat(hits.get(1).path("conversation_id").asText()).isEqualTo(conv);
    assertThat(hits.get(1).path("text").asText()).contains("which tea");
    assertThat(hits.get(0).path("score").asDouble()).isGreaterThan(hits.get(1).path("score").asDouble());
    JsonNode one = http.post("/api/v1/memory/recall", org.token(), Map.of("query", "tea", "limit", 1)).json();
    assertThat(one.path("data")).hasSize(1);
    assertThat(http.post("/api/v1/memory/recall", org.token(), Map.of("query", "%_")).json().path("data")).isEmpty();
  }

  @Test
  void recall_withBadInput_is400() {
    TestOrg org = newOrg();
    assertError(http.post("/api/v1/memory/recall", org.token(), Map.of()), 400, "invalid_request");
    assertError(http.post("/api/v1/memory/recall", org.token(), Map.of("query", " ")), 400, "invalid_request");
    assertError(http.post("/api/v1/memory/recall", org.token(), Map.of("query", 5)), 400, "invalid_request");
    assertError(http.post("/api/v1/memory/recall", org.token(), Map.of("query", "x", "limit", 0)), 400,
        "invalid_request");
    assertError(http.post("/api/v1/memory/recall", org.token(), Map.of("query", "x", "limit", "3")), 400,
        "invalid_request");
  }
}
