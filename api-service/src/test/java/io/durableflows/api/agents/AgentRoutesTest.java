package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agents: list, stats, one agent, its configuration (read, patch: a new release each time) and delete. */
class AgentRoutesTest extends AgentApiTest {

  @Test
  void list_showsOnlyFlowsWithOneAgentNode_newestFirst_withCursorPages() {
    TestOrg org = newOrg();
    createAgent(org, "first", List.of("calculator"));
    createAgent(org, "second");
    createAgent(org, "third");
    createExample(org, "qa-raw");

    Http.Response page1 = http.get("/api/v1/agents?limit=2", org.token());
    assertThat(page1.status()).as(page1.body()).isEqualTo(200);
    assertThat(page1.json().path("data").findValuesAsText("slug")).containsExactly("third", "second");
    String cursor = page1.json().path("next_cursor").asText();
    Http.Response page2 = http.get("/api/v1/agents?limit=2&cursor=" + cursor, org.token());
    assertThat(page2.json().path("data").findValuesAsText("slug")).containsExactly("first");
    assertThat(page2.json().path("next_cursor").isNull()).isTrue();
    JsonNode first = page2.json().path("data").get(0);
    assertThat(first.path("version").asText()).isEqualTo("1");
    assertThat(first.path("node").asText()).isEqualTo("agent_1");
    assertThat(first.path("tools").get(0).asText()).isEqualTo("calculator");
  }

  @Test
  void list_withBadLimitOrCursor_returns400() {
    TestOrg org = newOrg();
    assertError(http.get("/api/v1/agents?limit=0", org.token()), 400, "invalid_request");
    assertError(http.get("/api/v1/agents?cursor=nonsense", org.token()), 400, "invalid_request");
  }

  @Test
  void stats_countAgentsTombstonesToolsSubagentsAndRuns() {
    TestOrg org = newOrg();
    createAgent(org, "alpha", List.of("calculator", "current_time"));
    createAgent(org, "beta");
    createAgent(org, "gone");
    assertThat(http.delete("/api/v1/agent/gone", org.token()).status()).isEqualTo(204);
    Http.Response run = http.post("/api/v1/agent/alpha/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expression", "1+1")));
    assertThat(run.status()).as(run.body()).isEqualTo(200);

    Http.Response r = http.get("/api/v1/agents/stats", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("agents").asInt()).isEqualTo(2);
    assertThat(r.json().path("tombstoned").asInt()).isEqualTo(1);
    assertThat(r.json().path("tools").asInt()).isEqualTo(2);
    assertThat(r.json().path("subagents").asInt()).isZero();
    assertThat(r.json().path("runs").path("total").asInt()).isEqualTo(1);
    assertThat(r.json().path("runs").path("last_24h").asInt()).isEqualTo(1);
    assertThat(r.json().path("runs").path("by_status").path("completed").asInt()).isEqualTo(1);
  }

  @Test
  void get_showsTheAgentItsConfigAndInputSchema_bySlugOrId() {
    TestOrg org = newOrg();
    String flowId = createAgent(org, "helper", List.of("calculator")).path("id").asText();

    for (String ref : List.of("helper", flowId)) {
      Http.Response r = http.get("/api/v1/agent/" + ref, org.token());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("slug").asText()).isEqualTo("helper");
      assertThat(r.json().path("id").asText()).isEqualTo(flowId);
      assertThat(r.json().path("config").path("prompt").asText()).isEqualTo("{{input.message}}");
      assertThat(r.json().path("input_schema").path("required").get(0).asText()).isEqualTo("message");
      assertThat(r.json().path("runs").path("total").asInt()).isZero();
    }
  }

  @Test
  void get_ofAFlowWithoutAgentNode_orAnotherOrgsAgent_returns404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    createAgent(other, "theirs");

    assertError(http.get("/api/v1/agent/qa-raw", org.token()), 404, "not_found");
    assertError(http.get("/api/v1/agent/theirs", org.token()), 404, "not_found");
    assertError(http.get("/api/v1/agent/theirs/config", org.token()), 404, "not_found");
    assertError(http.patch("/api/v1/agent/theirs/config", org.token(), Map.of("model", "x")), 404, "not_found");
    assertError(http.delete("/api/v1/agent/theirs", org.token()), 404, "not_found");
    assertError(http.post("/api/v1/agent/theirs/chat", org.token(), Map.of("message", "hi")), 404, "not_found");
    assertThat(http.get("/api/v1/agent/theirs", other.token()).status()).isEqualTo(200);
  }

  @Test
  void config_returnsTheAgentNodesDataWithNameAndVersion() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));

    Http.Response r = http.get("/api/v1/agent/helper/config", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("name").asText()).isEqualTo("Agent helper");
    assertThat(r.json().path("version").asText()).isEqualTo("1");
    assertThat(r.json().path("config").path("systemPrompt").asText()).isEqualTo("You are a helpful assistant.");
    assertThat(r.json().path("config").path("tools").get(0).asText()).isEqualTo("calculator");
  }

  @Test
  void patchConfig_mergesTheDataUpdatesTheDraftAndPublishesANewRelease() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));
    Map<String, Object> body = new HashMap<>();
    body.put("name", "Helpful");
    body.put("config", Map.of("systemPrompt", "Be brief.", "maxSteps", 5));
    body.put("model", "gpt-4o-mini");
    body.put("temperature", null);

    Http.Response r = http.patch("/api/v1/agent/helper/config", org.token(), body);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("version").asText()).isEqualTo("2");
    assertThat(r.json().path("release").path("version").asText()).isEqualTo("2");
    assertThat(r.json().path("name").asText()).isEqualTo("Helpful");
    JsonNode config = config(org, "helper");
    assertThat(config.path("systemPrompt").asText()).isEqualTo("Be brief.");
    assertThat(config.path("maxSteps").asInt()).isEqualTo(5);
    assertThat(config.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(config.path("prompt").asText()).isEqualTo("{{input.message}}");
    assertThat(config.path("tools").get(0).asText()).isEqualTo("calculator");
    assertThat(releases(org, "helper")).isEqualTo(2);
    // The draft changed too: the flow reads the same.
    JsonNode flow = http.get("/api/v1/flows/helper", org.token()).json();
    assertThat(flow.path("name").asText()).isEqualTo("Helpful");
    assertThat(flow.path("latest_version").asText()).isEqualTo("2");
  }

  @Test
  void patchConfig_withInvalidResult_returns400WithDetailsAndChangesNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    Http.Response badPrompt = http.patch("/api/v1/agent/helper/config", org.token(),
        Map.of("config", Map.of("prompt", "{{input.nope}}")));
    Http.Response badTool = http.patch("/api/v1/agent/helper/config", org.token(), Map.of("tools", List.of("teleporter")));
    Http.Response unknownKey = http.patch("/api/v1/agent/helper/config", org.token(), Map.of("colour", "blue"));
    Http.Response badName = http.patch("/api/v1/agent/helper/config", org.token(), Map.of("name", 42));
    Http.Response empty = http.patch("/api/v1/agent/helper/config", org.token(), Map.of());

    assertError(badPrompt, 400, "invalid_flow");
    assertThat(badPrompt.json().path("details").get(0).path("node").asText()).isEqualTo("agent_1");
    assertThat(badPrompt.json().path("details").get(0).path("field").asText()).isEqualTo("data.prompt");
    assertError(badTool, 400, "invalid_flow");
    assertThat(badTool.json().path("details").get(0).path("field").asText()).isEqualTo("data.tools[0]");
    assertError(unknownKey, 400, "invalid_request");
    assertThat(unknownKey.json().path("details").get(0).path("field").asText()).isEqualTo("colour");
    assertError(badName, 400, "invalid_request");
    assertError(empty, 400, "invalid_request");
    assertThat(releases(org, "helper")).isEqualTo(1);
    assertThat(config(org, "helper").path("prompt").asText()).isEqualTo("{{input.message}}");
  }

  @Test
  void delete_tombstonesTheAgent_everyAgentRouteThen410_listsExcludeIt() {
    TestOrg org = newOrg();
    String flowId = createAgent(org, "helper", List.of("calculator")).path("id").asText();

    assertThat(http.delete("/api/v1/agent/helper", org.token()).status()).isEqualTo(204);

    for (String ref : List.of("helper", flowId)) {
      assertError(http.get("/api/v1/agent/" + ref, org.token()), 410, "agent_tombstoned");
    }
    assertError(http.get("/api/v1/agent/helper/config", org.token()), 410, "agent_tombstoned");
    assertError(http.patch("/api/v1/agent/helper/config", org.token(), Map.of("model", "x")), 410, "agent_tombstoned");
    assertError(http.delete("/api/v1/agent/helper", org.token()), 410, "agent_tombstoned");
    assertError(http.post("/api/v1/agent/helper/chat", org.token(), Map.of("message", "hi")), 410, "agent_tombstoned");
    assertError(http.get("/api/v1/agent/helper/tools", org.token()), 410, "agent_tombstoned");
    assertError(http.post("/api/v1/agent/helper/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expression", "1+1"))), 410, "agent_tombstoned");
    assertError(http.get("/api/v1/agent/helper/subagents", org.token()), 410, "agent_tombstoned");
    assertError(http.post("/agents/helper/chat", org.token(), Map.of("text", "hi", "stream", false)), 410,
        "agent_tombstoned");
    assertThat(http.get("/api/v1/agents", org.token()).json().path("data").size()).isZero();
    assertThat(http.get("/api/v1/flows", org.token()).json().path("data").size()).isZero();
    assertThat(http.get("/api/v1/flows/helper", org.token()).status()).isEqualTo(404);
  }

  @Test
  void delete_thenANewAgentMayTakeTheSlug() {
    TestOrg org = newOrg();
    createAgent(org, "helper");
    assertThat(http.delete("/api/v1/agent/helper", org.token()).status()).isEqualTo(204);

    createAgent(org, "helper");

    assertThat(http.get("/api/v1/agent/helper", org.token()).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/agents/stats", org.token()).json().path("tombstoned").asInt()).isEqualTo(1);
  }

  @Test
  void agentFlow_withBadOrDuplicateTools_isRejectedOnSave() {
    TestOrg org = newOrg();
    Map<String, Object> doc = agentFlow("bad", List.of("calculator", "calculator", Map.of("name", "x", "kind", "http")));
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertError(r, 400, "invalid_flow");
    assertThat(r.json().path("details").findValuesAsText("field")).contains("data.tools[1].name", "data.tools[2]");
  }
}
