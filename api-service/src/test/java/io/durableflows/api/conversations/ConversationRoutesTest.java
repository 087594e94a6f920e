package io.durableflows.api.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 002's conversation routes, their bad input, and other orgs' conversations (404). */
class ConversationRoutesTest extends RunApiTest {

  private JsonNode create(TestOrg org, Map<String, Object> body) {
    Http.Response r = http.post("/api/v1/conversations", org.token(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private JsonNode add(TestOrg org, String id, String role, String content) {
    Http.Response r = http.post("/api/v1/conversations/" + id + "/messages", org.token(),
        Map.of("role", role, "content", content));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void create_thenGet_showsTitleFlowAndMetadata() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");

    JsonNode c = create(org, Map.of("title", "Trip planning", "agent", "chat-memory", "metadata", Map.of("k", "v")));

    assertThat(c.path("id").asText()).startsWith("conv_");
    JsonNode got = http.get("/api/v1/conversations/" + c.path("id").asText(), org.token()).json();
    assertThat(got.path("title").asText()).isEqualTo("Trip planning");
    assertThat(got.path("flow").asText()).isEqualTo("chat-memory");
    assertThat(got.path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(got.path("message_count").asInt()).isZero();
    assertThat(create(org, Map.of()).path("title").isNull()).isTrue();
  }

  @Test
  void create_withBadInput_is400_andUnknownFlow404() {
    TestOrg org = newOrg();
    assertError(http.post("/api/v1/conversations", org.token(), Map.of("title", 5)), 400, "invalid_request");
    assertError(http.post("/api/v1/conversations", org.token(), Map.of("metadata", "x")), 400, "invalid_request");
    assertError(http.post("/api/v1/conversations", org.token(), Map.of("title", " ")), 400, "invalid_request");
    assertError(http.post("/api/v1/conversations", org.token(), Map.of("title", "t".repeat(201))), 400,
        "invalid_request");
    assertError(http.post("/api/v1/conversations", org.token(), Map.of("agent", "nope")), 404, "not_found");
    assertError(http.postRaw("/api/v1/conversations", org.token(), "application/json", "{bad"), 400,
        "invalid_json");
  }

  @Test
  void list_pagesNewestFirstWithACursor() {
    TestOrg org = newOrg();
    String a = create(org, Map.of("title", "a")).path("id").asText();
    String b = create(org, Map.of("title", "b")).path("id").asText();
    String c = create(org, Map.of("title", "c")).path("id").asText();

    JsonNode page1 = http.get("/api/v1/conversations?limit=2", org.token()).json();
    assertThat(page1.path("data").findValuesAsText("id")).containsExactly(c, b);
    JsonNode page2 = http.get("/api/v1/conversations?limit=2&cursor=" + page1.path("next_cursor").asText(),
        org.token()).json();
    assertThat(page2.path("data").findValuesAsText("id")).containsExactly(a);
    assertThat(page2.path("next_cursor").isNull()).isTrue();
    assertError(http.get("/api/v1/conversations?limit=0", org.token()), 400, "invalid_request");
    assertError(http.get("/api/v1/conversations?cursor=garbage", org.token()), 400, "invalid_request");
    assertThat(http.get("/api/v1/conversations", newOrg().token()).json().path("data")).isEmpty();
  }

  @Test
  void search_findsTitlesAndMessageText_ofTheCallersOrgOnly() {
    TestOrg org = newOrg();
    String byTitle = create(org, Map.of("title", "Quarterly Budget review")).path("id").asText();
    String byText = create(org, Map.of("title", "misc")).path("id").asText();
    add(org, byText, "user", "Can you check the budget spreadsheet for March?");
    create(org, Map.of("title", "unrelated"));
    TestOrg other = newOrg();
    add(other, create(other, Map.of("title", "budget too")).path("id").asText(), "user", "budget");

    JsonNode found = http.get("/api/v1/conversations/search?q=budget", org.token()).json().path("data");

    assertThat(found.findValuesAsText("id")).containsExactlyInAnyOrder(byTitle, byText);
    JsonNode textHit = found.get(0).path("id").asText().equals(byText) ? found.get(0) : found.get(1);
    assertThat(textHit.path("matches").get(0).path("snippet").asText()).contains("budget spreadsheet");
    assertError(http.get("/api/v1/conversations/search", org.token()), 400, "invalid_request");
    assertError(http.get("/api/v1/conversations/search?q=%20", org.token()), 400, "invalid_request");
    assertThat(http.get("/api/v1/conversations/search?q=100%25_x", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void messages_addAndListInOrder_withBadInputRefused() {
    TestOrg org = newOrg();
    String id = create(org, Map.of("title", "t")).path("id").asText();
    add(org, id, "user", "first");
    add(org, id, "assistant", "second");
    Http.Response noRole = http.post("/api/v1/conversations/" + id + "/messages", org.token(),
        Map.of("content", "third", "metadata", Map.of("source", "ui")));
    assertThat(noRole.status()).isEqualTo(201);
    assertThat(noRole.json().path("role").asText()).isEqualTo("user");

    JsonNode all = http.get("/api/v1/conversations/" + id + "/messages", org.token()).json();
    assertThat(all.path("data").findValuesAsText("content")).containsExactly("first", "second", "third");
    JsonNode page = http.get("/api/v1/conversations/" + id + "/messages?limit=2", org.token()).json();
    assertThat(page.path("data")).hasSize(2);
    JsonNode rest = http.get("/api/v1/conversations/" + id + "/messages?limit=2&cursor="
        + page.path("next_cursor").asText(), org.token()).json();
    assertThat(rest.path("data").findValuesAsText("content")).containsExactly("third");

    String path = "/api/v1/conversations/" + id + "/messages";
    assertError(http.post(path, org.token(), Map.of()), 400, "invalid_request");
    assertError(http.post(path, org.token(), Map.of("content", 3)), 400, "invalid_request");
    assertError(http.post(path, org.token(), Map.of("content", "x", "role", "tool")), 400, "invalid_request");
    assertError(http.post(path, org.token(), Map.of("content", "x", "run", "yes")), 400, "invalid_request");
    assertError(http.post(path, org.token(), Map.of("content", "x", "run", true)), 400, "no_flow");
    assertError(http.get(path + "?cursor=abc", org.token()), 400, "invalid_request");
  }

  @Test
  void addMessage_withRun_runsTheConversationsFlowInItsSession() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");
    String id = create(org, Map.of("flow", "chat-memory")).path("id").asText();

    Http.Response r = http.post("/api/v1/conversations/" + id + "/messages", org.token(),
        Map.of("content", "Hello there", "run", true));

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("message").path("content").asText()).isEqualTo("Hello there");
    assertThat(r.json().path("reply").path("content").asText()).contains("Hello there");
    JsonNode runs = http.get("/api/v1/conversations/" + id + "/runs", org.token()).json().path("data");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("id").asText()).isEqualTo(r.json().path("run_id").asText());
    assertThat(runs.get(0).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void update_changesTitleAndMetadata_andMarksTheTitleChange() {
    TestOrg org = newOrg();
    String id = create(org, Map.of("title", "old")).path("id").asText();

    Http.Response r = http.put("/api/v1/conversations/" + id, org.token(),
        Map.of("title", "new", "metadata", Map.of("pinned", true)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("title").asText()).isEqualTo("new");
    assertThat(r.json().path("metadata").path("pinned").asBoolean()).isTrue();
    JsonNode markers = http.get("/api/v1/conversations/" + id + "/markers", org.token()).json().path("data");
    assertThat(markers).hasSize(1);
    assertThat(markers.get(0).path("kind").asText()).isEqualTo("title_changed");
    assertThat(markers.get(0).path("data").path("from").asText()).isEqualTo("old");
    assertThat(markers.get(0).path("data").path("to").asText()).isEqualTo("new");
    assertError(http.put("/api/v1/conversations/" + id, org.token(), Map.of()), 400, "invalid_request");
    assertError(http.put("/api/v1/conversations/" + id, org.token(), Map.of("metadata", List.of())), 400,
        "invalid_request");
  }

  @Test
  void delete_removesTheConversation_then404() {
    TestOrg org = newOrg();
    String id = create(org, Map.of("title", "bye")).path("id").asText();
    add(org, id, "user", "hi");

    assertThat(http.delete("/api/v1/conversations/" + id, org.token()).status()).isEqualTo(204);

    assertError(http.get("/api/v1/conversations/" + id, org.token()), 404, "not_found");
    assertError(http.get("/api/v1/conversations/" + id + "/messages", org.token()), 404, "not_found");
    assertError(http.delete("/api/v1/conversations/" + id, org.token()), 404, "not_found");
  }

  @Test
  void timeline_mergesRunsMessagesAndMarkersInTimeOrder() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");
    Http.Response run = http.postWithAuthorization(flowRequestPath(org, "chat-memory"), org.token(),
        Map.of("body", Map.of("message", "hi"), "options", Map.of("flow_session_id", "sess-tl")));
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    http.put("/api/v1/agent/conversations/sess-tl/title", org.token(), Map.of("title", "Greeting"));

    JsonNode t = http.get("/api/v1/conversations/sess-tl/timeline", org.token()).json();

    assertThat(t.path("conversation").path("title").asText()).isEqualTo("Greeting");
    assertThat(t.path("items").findValuesAsText("type")).containsExactly("run", "message", "message", "marker");
    assertThat(t.path("items").get(0).path("id").asText()).isEqualTo(run.json().path("id").asText());
    assertThat(t.path("items").get(1).path("role").asText()).isEqualTo("user");
    assertThat(t.path("items").get(2).path("role").asText()).isEqualTo("assistant");
    assertThat(t.path("items").get(3).path("kind").asText()).isEqualTo("title_changed");
  }

  @Test
  void llmFormat_exportsOpenAiMessages() {
    TestOrg org = newOrg();
    String id = create(org, Map.of()).path("id").asText();
    add(org, id, "system", "be nice");
    add(org, id, "user", "hi");
    add(org, id, "assistant", "hello");

    JsonNode out = http.get("/api/v1/conversations/" + id + "/llm-format", org.token()).json();

    assertThat(out.path("messages")).hasSize(3);
    assertThat(out.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(out.path("messages").get(1).path("content").asText()).isEqualTo("hi");
    assertThat(out.path("messages").get(1).size()).isEqualTo(2);
    assertError(http.get("/api/v1/conversations/" + id + "/llm-format?view=xml", org.token()), 400,
        "invalid_request");
  }

  @Test
  void title_getPutAndGenerate_withTheOfflineModel() {
    TestOrg org = newOrg();
    String id = create(org, Map.of()).path("id").asText();
    String path = "/api/v1/agent/conversations/" + id + "/title";
    assertError(http.post(path + "/generate", org.token(), Map.of()), 400, "empty_conversation");
    add(org, id, "user", "how do I bake sourdough bread at home?");
    add(org, id, "assistant", "Start with a lively starter.");

    Http.Response generated = http.post(path + "/generate", org.token(), Map.of());

    assertThat(generated.status()).as(generated.body()).isEqualTo(200);
    assertThat(generated.json().path("title").asText()).isEqualTo("How do I bake sourdough bread");
    assertThat(generated.json().path("generated").asBoolean()).isTrue();
    assertThat(http.get(path, org.token()).json().path("title").asText()).isEqualTo("How do I bake sourdough bread");
    Http.Response put = http.put(path, org.token(), Map.of("title", "Bread"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(http.get(path, org.token()).json().path("title").asText()).isEqualTo("Bread");
    assertThat(http.get("/api/v1/conversations/" + id + "/markers", org.token()).json().path("data")
        .findValuesAsText("kind")).containsExactly("title_changed", "title_changed");
    assertError(http.put(path, org.token(), Map.of()), 400, "invalid_request");
    assertError(http.put(path, org.token(), Map.of("title", "")), 400, "invalid_request");
    assertError(http.post(path + "/generate", org.token(), Map.of("model", 4)), 400, "invalid_request");
  }

  @Test
  void compress_summarisesAllButTheLastMessages_andMemoryReadsTheSummary() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");
    String id = create(org, Map.of("agent", "chat-memory")).path("id").asText();
    for (int i = 1; i <= 6; i++) add(org, id, i % 2 == 1 ? "user" : "assistant", "message number " + i);
    String path = "/api/v1/agent/chat-memory/conversations/" + id + "/compress";

    Http.Response r = http.post(path, org.token(), Map.of("keep_last", 2));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("compacted").asBoolean()).isTrue();
    assertThat(r.json().path("messages_compacted").asInt()).isEqualTo(4);
    assertThat(r.json().path("summary").asText()).contains("user: message number 1")
        .contains("assistant: message number 4").doesNotContain("message number 5");
    JsonNode markers = http.get("/api/v1/conversations/" + id + "/markers", org.token()).json().path("data");
    assertThat(markers.findValuesAsText("kind")).containsExactly("compaction");
    JsonNode memory = http.get("/api/v1/conversations/" + id + "/llm-format?view=memory", org.token()).json()
        .path("messages");
    assertThat(memory).hasSize(3);
    assertThat(memory.get(0).path("role").asText()).isEqualTo("system");
    assertThat(memory.get(0).path("content").asText()).startsWith("Summary of the earlier conversation: ");
    assertThat(memory.get(2).path("content").asText()).isEqualTo("message number 6");
    // nothing more to compact: the last two stay as they are
    JsonNode again = http.post(path, org.token(), Map.of("keep_last", 2)).json();
    assertThat(again.path("compacted").asBoolean()).isFalse();
    assertError(http.post(path, org.token(), Map.of("keep_last", -1)), 400, "invalid_request");
    assertError(http.post(path, org.token(), Map.of("keep_last", "2")), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/nope/conversations/" + id + "/compress", org.token(), Map.of()), 404,
        "not_found");
    assertError(http.post("/api/v1/agent/chat-memory/conversations/nope/compress", org.token(), Map.of()), 404,
        "not_found");
  }

  @Test
  void compress_forADeletedAgent_is410() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");
    String id = create(org, Map.of()).path("id").asText();
    assertThat(http.delete("/api/v1/flows/chat-memory", org.token()).status()).isEqualTo(204);

    assertError(http.post("/api/v1/agent/chat-memory/conversations/" + id + "/compress", org.token(), Map.of()), 410,
        "agent_tombstoned");
  }

  @Test
  void everyRoute_withAnotherOrgsConversation_is404() {
    TestOrg owner = newOrg();
    createExample(owner, "chat-memory");
    String id = create(owner, Map.of("title", "mine", "flow", "chat-memory")).path("id").asText();
    add(owner, id, "user", "private");
    TestOrg other = newOrg();
    createExample(other, "chat-memory");
    String base = "/api/v1/conversations/" + id;
    String token = other.token();

    List<Http.Response> answers = List.of(
        http.get(base, token),
        http.put(base, token, Map.of("title", "stolen")),
        http.get(base + "/messages", token),
        http.post(base + "/messages", token, Map.of("content", "hi")),
        http.get(base + "/timeline", token),
        http.get(base + "/runs", token),
        http.get(base + "/markers", token),
        http.get(base + "/llm-format", token),
        http.get("/api/v1/agent/conversations/" + id + "/title", token),
        http.put("/api/v1/agent/conversations/" + id + "/title", token, Map.of("title", "x")),
        http.post("/api/v1/agent/conversations/" + id + "/title/generate", token, Map.of()),
        http.post("/api/v1/agent/chat-memory/conversations/" + id + "/compress", token, Map.of()),
        http.delete(base, token));

    for (Http.Response r : answers) assertError(r, 404, "not_found");
    JsonNode still = http.get(base, owner.token()).json();
    assertThat(still.path("title").asText()).isEqualTo("mine");
    assertThat(still.path("message_count").asInt()).isEqualTo(1);
  }

  @Test
  void bodyRoutes_withMalformedJson_are400AndChangeNothing() {
    TestOrg org = newOrg();
    createExample(org, "chat-memory");
    String id = create(org, Map.of("title", "t")).path("id").asText();
    List<String> posts = List.of("/api/v1/conversations", "/api/v1/conversations/" + id + "/messages",
        "/api/v1/agent/conversations/" + id + "/title/generate",
        "/api/v1/agent/chat-memory/conversations/" + id + "/compress", "/api/v1/memory/recall");
    for (String route : posts) {
      assertError(http.postRaw(route, org.token(), "application/json", "{\"content\": "), 400, "invalid_json");
    }
    for (String route : List.of("/api/v1/conversations/" + id, "/api/v1/agent/conversations/" + id + "/title",
        "/api/v1/memory/blocks/persona")) {
      assertError(http.put(route, org.token(), "{\"title\": "), 400, "invalid_json");
    }
    assertThat(http.get("/api/v1/conversations", org.token()).json().path("data")).hasSize(1);
    assertThat(http.get("/api/v1/conversations/" + id, org.token()).json().path("title").asText()).isEqualTo("t");
    assertThat(http.get("/api/v1/memory/blocks", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void routes_needTheRunsScopes() {
    TestOrg reader = newOrg(List.of("runs:read"));
    assertThat(http.get("/api/v1/conversations", reader.token()).status()).isEqualTo(200);
    assertError(http.post("/api/v1/conversations", reader.token(), Map.of()), 403, "insufficient_scope");
    TestOrg writer = newOrg(List.of("runs:write"));
    assertError(http.get("/api/v1/conversations", writer.token()), 403, "insufficient_scope");
  }

  @Test
  void routes_withoutToken_are401() {
    assertThat(http.get("/api/v1/conversations", null).status()).isEqualTo(401);
    assertThat(http.post("/api/v1/conversations", null, new LinkedHashMap<>()).status()).isEqualTo(401);
  }
}
