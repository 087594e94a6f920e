package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sub-agents: agent flows of their own, listed in the parent's agent node; each change publishes what it touches. */
class SubagentRoutesTest extends AgentApiTest {
  private static final Map<String, Object> WEATHER = Map.of(
      "name", "weather", "description", "The weather in a city", "kind", "http",
      "http", Map.of("method", "GET", "url", "https://api.example.com/weather"));

  private JsonNode createSub(TestOrg org, String parent, Map<String, Object> body) {
    Http.Response r = http.post("/api/v1/agent/" + parent + "/subagents", org.token(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static Map<String, Object> researcher() {
    return Map.of("name", "researcher", "description", "Finds facts", "systemPrompt", "You research.",
        "tools", List.of("weather"));
  }

  @Test
  void create_makesAnAgentFlowListsItInTheParentAndPublishesBoth() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER));

    JsonNode sub = createSub(org, "helper", researcher());

    assertThat(sub.path("name").asText()).isEqualTo("researcher");
    assertThat(sub.path("flow").asText()).isEqualTo("helper--researcher");
    assertThat(sub.path("version").asText()).isEqualTo("1");
    assertThat(sub.path("parent_version").asText()).isEqualTo("2");
    assertThat(sub.path("tools").get(0).asText()).isEqualTo("weather");
    assertThat(sub.path("config").path("systemPrompt").asText()).isEqualTo("You research.");
    assertThat(config(org, "helper").path("subagents")).isEqualTo(Http.JSON.valueToTree(List.of(
        Map.of("name", "researcher", "description", "Finds facts", "flow", "helper--researcher"))));
    assertThat(releases(org, "helper")).isEqualTo(2);
    assertThat(releases(org, "helper--researcher")).isEqualTo(1);
    JsonNode subConfig = config(org, "helper--researcher");
    assertThat(subConfig.path("prompt").asText()).isEqualTo("{{input.message}}");
    assertThat(subConfig.path("tools").get(0).path("http").path("url").asText())
        .isEqualTo("https://api.example.com/weather");

    Http.Response list = http.get("/api/v1/agent/helper/subagents", org.token());
    assertThat(list.json().path("data").findValuesAsText("name")).containsExactly("researcher");
    Http.Response one = http.get("/api/v1/agent/helper/subagents/researcher", org.token());
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    Http.Response cfg = http.get("/api/v1/agent/helper/subagents/researcher/config", org.token());
    assertThat(cfg.json().path("agent").asText()).isEqualTo("helper--researcher");
    assertThat(cfg.json().path("config").path("systemPrompt").asText()).isEqualTo("You research.");
  }

  @Test
  void create_withBadInput_returns400AndCreatesNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    assertError(http.post("/api/v1/agent/helper/subagents", org.token(), Map.of("name", "r")), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "Bad Name", "description", "x")), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "r", "description", "x", "tools", List.of("teleporter"))), 400, "tool_not_available");
    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "r", "description", "x", "prompt", "{{input.nope}}")), 400, "invalid_flow");
    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "r", "description", "x", "colour", "blue")), 400, "invalid_request");
    assertThat(releases(org, "helper")).isEqualTo(1);
    assertThat(config(org, "helper").path("subagents").isMissingNode()).isTrue();
    assertThat(http.get("/api/v1/flows/helper--r", org.token()).status()).isEqualTo(404);
  }

  @Test
  void create_aDuplicateName_returns409() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));
    createSub(org, "helper", researcher().entrySet().stream().filter(e -> !e.getKey().equals("tools"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "researcher", "description", "again")), 409, "tool_exists");
    assertError(http.post("/api/v1/agent/helper/subagents", org.token(),
        Map.of("name", "calculator", "description", "clashes with a tool")), 409, "tool_exists");
    assertThat(releases(org, "helper")).isEqualTo(2);
  }

  @Test
  void update_changesDescriptionInBothAndConfigInTheSubagent() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER));
    createSub(org, "helper", researcher());

    Http.Response r = http.patch("/api/v1/agent/helper/subagents/researcher", org.token(),
        Map.of("description", "Finds facts fast", "config", Map.of("maxSteps", 3)));
    Http.Response rename = http.patch("/api/v1/agent/helper/subagents/researcher", org.token(), Map.of("name", "other"));
    Http.Response bad = http.patch("/api/v1/agent/helper/subagents/researcher", org.token(), Map.of("maxSteps", -1));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("description").asText()).isEqualTo("Finds facts fast");
    assertThat(r.json().path("config").path("maxSteps").asInt()).isEqualTo(3);
    assertThat(config(org, "helper").path("subagents").get(0).path("description").asText())
        .isEqualTo("Finds facts fast");
    assertError(rename, 400, "invalid_request");
    assertError(bad, 400, "invalid_flow");
    assertThat(releases(org, "helper")).isEqualTo(3);
    assertThat(releases(org, "helper--researcher")).isEqualTo(2);
  }

  @Test
  void delete_removesItFromTheParentAndTombstonesItsFlow() {
    TestOrg org = newOrg();
    createAgent(org, "helper");
    createSub(org, "helper", Map.of("name", "researcher", "description", "Finds facts"));

    assertThat(http.delete("/api/v1/agent/helper/subagents/researcher", org.token()).status()).isEqualTo(204);

    assertThat(config(org, "helper").path("subagents").size()).isZero();
    assertThat(releases(org, "helper")).isEqualTo(3);
    assertError(http.get("/api/v1/agent/helper--researcher", org.token()), 410, "agent_tombstoned");
    assertError(http.get("/api/v1/agent/helper/subagents/researcher", org.token()), 404, "not_found");
    assertError(http.delete("/api/v1/agent/helper/subagents/researcher", org.token()), 404, "not_found");
  }

  @Test
  void tools_assignFromTheParentOrBuiltIns_listAvailable_remove() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER));
    createSub(org, "helper", Map.of("name", "researcher", "description", "Finds facts"));

    Http.Response available = http.get("/api/v1/agent/helper/subagents/researcher/available-tools", org.token());
    assertThat(available.json().path("data").findValuesAsText("name"))
        .containsExactly("weather", "calculator", "current_time", "json_path");

    Http.Response assigned = http.post("/api/v1/agent/helper/subagents/researcher/tools", org.token(),
        Map.of("tool", "weather"));
    Http.Response builtIn = http.post("/api/v1/agent/helper/subagents/researcher/tools", org.token(),
        Map.of("tool", "calculator"));
    assertThat(assigned.status()).as(assigned.body()).isEqualTo(201);
    assertThat(assigned.json().path("tool").path("kind").asText()).isEqualTo("http");
    assertThat(builtIn.status()).as(builtIn.body()).isEqualTo(201);
    assertError(http.post("/api/v1/agent/helper/subagents/researcher/tools", org.token(), Map.of("tool", "weather")),
        409, "tool_exists");
    assertError(http.post("/api/v1/agent/helper/subagents/researcher/tools", org.token(),
        Map.of("tool", "teleporter")), 400, "tool_not_available");
    assertError(http.post("/api/v1/agent/helper/subagents/researcher/tools", org.token(), Map.of()), 400,
        "invalid_request");
    assertThat(http.get("/api/v1/agent/helper/subagents/researcher/tools", org.token()).json().path("data")
        .findValuesAsText("name")).containsExactly("weather", "calculator");
    assertThat(http.get("/api/v1/agent/helper/subagents/researcher/available-tools", org.token()).json()
        .path("data").findValuesAsText("name")).containsExactly("current_time", "json_path");
    assertThat(releases(org, "helper--researcher")).isEqualTo(3);

    Http.Response removed = http.delete("/api/v1/agent/helper/subagents/researcher/tools/weather", org.token());
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertError(http.delete("/api/v1/agent/helper/subagents/researcher/tools/weather", org.token()), 404,
        "not_found");
    assertThat(config(org, "helper--researcher").path("tools").toString()).doesNotContain("weather");
    assertThat(releases(org, "helper--researcher")).isEqualTo(4);
  }

  @Test
  void routes_ofAnotherOrg_return404_ofATombstonedParent_return410() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createAgent(other, "theirs");
    createSub(other, "theirs", Map.of("name", "researcher", "description", "Finds facts"));
    createAgent(org, "gone");
    assertThat(http.delete("/api/v1/agent/gone", org.token()).status()).isEqualTo(204);

    for (String parent : List.of("theirs", "gone")) {
      int status = parent.equals("gone") ? 410 : 404;
      String error = parent.equals("gone") ? "agent_tombstoned" : "not_found";
      String base = "/api/v1/agent/" + parent + "/subagents";
      assertError(http.get(base, org.token()), status, error);
      assertError(http.post(base, org.token(), Map.of("name", "x", "description", "y")), status, error);
      assertError(http.get(base + "/researcher", org.token()), status, error);
      assertError(http.patch(base + "/researcher", org.token(), Map.of("description", "z")), status, error);
      assertError(http.delete(base + "/researcher", org.token()), status, error);
      assertError(http.get(base + "/researcher/config", org.token()), status, error);
      assertError(http.get(base + "/researcher/tools", org.token()), status, error);
      assertError(http.post(base + "/researcher/tools", org.token(), Map.of("tool", "calculator")), status, error);
      assertError(http.delete(base + "/researcher/tools/calculator", org.token()), status, error);
      assertError(http.get(base + "/researcher/available-tools", org.token()), status, error);
      assertError(http.post(base + "/researcher/run", org.token(), Map.of("message", "hi")), status, error);
    }
    assertThat(releases(other, "theirs")).isEqualTo(2);
  }

  /** Needs the agent node's interpreter (the lead's): with the placeholder the run fails. */
  @Test
  void run_runsTheSubagentFlowDirectly() {
    TestOrg org = newOrg();
    createAgent(org, "helper");
    createSub(org, "helper", Map.of("name", "researcher", "description", "Finds facts"));

    Http.Response r = http.post("/api/v1/agent/helper/subagents/researcher/run", org.token(),
        Map.of("message", "What is a tide?"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("content").asText()).isNotBlank();
    assertThat(r.json().path("agent").asText()).isEqualTo("helper--researcher");
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
  }
}
