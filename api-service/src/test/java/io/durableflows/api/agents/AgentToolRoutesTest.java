package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tools registry: an agent node's tools list, each change a release. Running a tool is a durable one-node
 * run; drafting one runs the agent's model (the offline model drafts by rule).
 */
class AgentToolRoutesTest extends AgentApiTest {
  private static final Map<String, Object> WEATHER = Map.of(
      "name", "weather",
      "description", "The weather in a city",
      "kind", "http",
      "parameters", Map.of("type", "object", "required", List.of("city"),
          "properties", Map.of("city", Map.of("type", "string"))),
      "http", Map.of("method", "GET", "url", "https://api.example.com/weather"));

  @Test
  void list_showsFullDefinitionsWithApprovalPolicies() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator", WEATHER));

    Http.Response r = http.get("/api/v1/agent/helper/tools", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode data = r.json().path("data");
    assertThat(data.findValuesAsText("name")).containsExactly("calculator", "weather");
    assertThat(data.get(0).path("kind").asText()).isEqualTo("builtin");
    assertThat(data.get(0).path("parameters").path("required").get(0).asText()).isEqualTo("expression");
    assertThat(data.get(0).path("approval").asText()).isEqualTo("never");
    assertThat(data.get(1).path("http").path("url").asText()).isEqualTo("https://api.example.com/weather");
    assertThat(r.json().path("builtins_available").toString()).contains("current_time", "json_path")
        .doesNotContain("calculator");
  }

  @Test
  void get_oneTool_or404() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER));

    Http.Response r = http.get("/api/v1/agent/helper/tools/weather", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("description").asText()).isEqualTo("The weather in a city");
    assertError(http.get("/api/v1/agent/helper/tools/nope", org.token()), 404, "not_found");
  }

  @Test
  void register_addsTheToolAndPublishesARelease() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    Http.Response r = http.post("/api/v1/agent/helper/tools", org.token(), WEATHER);
    Http.Response builtIn = http.post("/api/v1/agent/helper/tools", org.token(), "\"calculator\"");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("tool").path("name").asText()).isEqualTo("weather");
    assertThat(r.json().path("version").asText()).isEqualTo("2");
    assertThat(builtIn.status()).as(builtIn.body()).isEqualTo(201);
    assertThat(builtIn.json().path("version").asText()).isEqualTo("3");
    assertThat(config(org, "helper").path("tools").size()).isEqualTo(2);
    assertThat(releases(org, "helper")).isEqualTo(3);
  }

  @Test
  void register_aDuplicateName_returns409AndPublishesNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER, "calculator"));

    assertError(http.post("/api/v1/agent/helper/tools", org.token(), WEATHER), 409, "tool_exists");
    assertError(http.post("/api/v1/agent/helper/tools", org.token(), Map.of("name", "calculator")), 409, "tool_exists");
    assertThat(releases(org, "helper")).isEqualTo(1);
  }

  @Test
  void register_anInvalidDefinition_returns400WithProblemsAndChangesNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    Http.Response noHttp = http.post("/api/v1/agent/helper/tools", org.token(),
        Map.of("name", "thing", "kind", "http", "description", "does things"));
    Http.Response badName = http.post("/api/v1/agent/helper/tools", org.token(),
        Map.of("name", "no spaces allowed", "kind", "flow", "description", "x", "flow", "other"));
    Http.Response unknownBuiltIn = http.post("/api/v1/agent/helper/tools", org.token(), "\"teleporter\"");
    Http.Response badApproval = http.post("/api/v1/agent/helper/tools", org.token(),
        Map.of("name", "calculator", "approval", "sometimes"));
    Http.Response extraKey = http.post("/api/v1/agent/helper/tools", org.token(),
        Map.of("name", "calculator", "colour", "blue"));
    Http.Response malformed = http.postRaw("/api/v1/agent/helper/tools", org.token(), "application/json", "{\"name\":");

    assertError(noHttp, 400, "invalid_tool");
    assertThat(noHttp.json().path("details").get(0).path("field").asText()).isEqualTo("http");
    assertError(badName, 400, "invalid_tool");
    assertThat(badName.json().path("details").get(0).path("field").asText()).isEqualTo("name");
    assertError(unknownBuiltIn, 400, "invalid_tool");
    assertError(badApproval, 400, "invalid_tool");
    assertThat(badApproval.json().path("details").get(0).path("field").asText()).isEqualTo("approval");
    assertError(extraKey, 400, "invalid_tool");
    assertError(malformed, 400, "invalid_json");
    assertThat(releases(org, "helper")).isEqualTo(1);
    assertThat(config(org, "helper").path("tools").size()).isZero();
  }

  @Test
  void update_mergesTheDefinition_validated() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER, "calculator"));

    Http.Response r = http.patch("/api/v1/agent/helper/tools/weather", org.token(),
        Map.of("description", "Weather now", "http", Map.of("method", "POST")));
    Http.Response bad = http.patch("/api/v1/agent/helper/tools/weather", org.token(), Map.of("kind", "teleport"));
    Http.Response clash = http.patch("/api/v1/agent/helper/tools/weather", org.token(), Map.of("name", "calculator"));
    Http.Response missing = http.patch("/api/v1/agent/helper/tools/nope", org.token(), Map.of("description", "x"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("tool").path("description").asText()).isEqualTo("Weather now");
    assertThat(r.json().path("tool").path("http").path("method").asText()).isEqualTo("POST");
    assertThat(r.json().path("tool").path("http").path("url").asText()).isEqualTo("https://api.example.com/weather");
    assertError(bad, 400, "invalid_tool");
    assertError(clash, 409, "tool_exists");
    assertError(missing, 404, "not_found");
    assertThat(releases(org, "helper")).isEqualTo(2);
  }

  @Test
  void delete_removesTheToolAndPublishes() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(WEATHER, "calculator"));

    Http.Response r = http.delete("/api/v1/agent/helper/tools/weather", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("version").asText()).isEqualTo("2");
    assertThat(config(org, "helper").path("tools").toString()).doesNotContain("weather");
    assertError(http.delete("/api/v1/agent/helper/tools/weather", org.token()), 404, "not_found");
    assertThat(releases(org, "helper")).isEqualTo(2);
  }

  @Test
  void approval_setsThePolicy_orRejectsABadOne() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));

    Http.Response always = http.put("/api/v1/agent/helper/tools/calculator/approval", org.token(), "\"always\"");
    Map<String, Object> rules = Map.of("rules",
        List.of(Map.of("argument", "expression", "operator", "contains", "value", "*")), "match", "any");
    Http.Response withRules = http.put("/api/v1/agent/helper/tools/calculator/approval", org.token(), rules);
    Http.Response bad = http.put("/api/v1/agent/helper/tools/calculator/approval", org.token(),
        Map.of("rules", List.of(Map.of("argument", "x", "operator", "near"))));
    Http.Response missing = http.put("/api/v1/agent/helper/tools/nope/approval", org.token(), "\"always\"");

    assertThat(always.status()).as(always.body()).isEqualTo(200);
    assertThat(always.json().path("tool").path("approval").asText()).isEqualTo("always");
    assertThat(withRules.status()).as(withRules.body()).isEqualTo(200);
    assertThat(withRules.json().path("tool").path("approval").path("rules").get(0).path("operator").asText())
        .isEqualTo("contains");
    assertError(bad, 400, "invalid_approval");
    assertError(missing, 404, "not_found");
    assertThat(releases(org, "helper")).isEqualTo(3);
    assertThat(config(org, "helper").path("tools").get(0).path("approval").path("match").asText()).isEqualTo("any");
  }

  @Test
  void run_runsTheToolOnceAsADurableRun() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));

    Http.Response r = http.post("/api/v1/agent/helper/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expression", "(2 + 3) * 4")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("output").path("result").asInt()).isEqualTo(20);
    assertThat(r.json().path("text").asText()).isEqualTo("20");
    assertThat(r.json().path("status").asText()).isEqualTo("completed");
    String runId = r.json().path("run_id").asText();
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("flow").asText()).isEqualTo("helper");
    assertThat(run.path("channel").asText()).isEqualTo("agent_tool_run");
    assertThat(run.path("calls").toString()).contains("calculator");
  }

  @Test
  void run_aToolThatNeedsApproval_answers202Waiting() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of(Map.of("name", "calculator", "approval", "always")));

    Http.Response r = http.post("/api/v1/agent/helper/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expression", "1+1")));

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("status").asText()).isEqualTo("waiting");
    assertThat(r.json().path("waiting_for").get(0).path("tool").asText()).isEqualTo("calculator");
  }

  @Test
  void run_inTheBackground_answers202AndAnIdempotencyKeyGivesTheSameRun() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));
    Map<String, Object> body = Map.of("arguments", Map.of("expression", "6*7"));
    Map<String, String> headers = Map.of("Prefer", "respond-async", "Idempotency-Key", "calc-1");

    Http.Response first = http.post("/api/v1/agent/helper/tools/calculator/run", org.token(), body, headers);
    Http.Response again = http.post("/api/v1/agent/helper/tools/calculator/run", org.token(), body, headers);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(again.json().path("run_id").asText()).isEqualTo(first.json().path("run_id").asText());
    JsonNode done = http.get("/api/v1/runs/" + first.json().path("run_id").asText() + "/wait?timeout=20s",
        org.token()).json();
    assertThat(done.path("status").asText()).isEqualTo("completed");
  }

  @Test
  void run_withBadArguments_returns400AndStartsNothing() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));

    assertError(http.post("/api/v1/agent/helper/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expr", "1"))), 400, "invalid_arguments");
    assertError(http.post("/api/v1/agent/helper/tools/calculator/run", org.token(),
        Map.of("arguments", "1+1")), 400, "invalid_request");
    assertError(http.post("/api/v1/agent/helper/tools/nope/run", org.token(), Map.of()), 404, "not_found");
    assertThat(http.get("/api/v1/runs?flow=helper", org.token()).json().path("data").size()).isZero();
  }

  @Test
  void generate_draftsAValidDefinitionWithTheOfflineModel_thenPersistRegistersIt() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    Http.Response r = http.post("/api/v1/agent/helper/tools/generate", org.token(),
        Map.of("description", "Look up the current exchange rate between two currencies"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("valid").asBoolean()).as(r.body()).isTrue();
    assertThat(r.json().path("problems").size()).isZero();
    JsonNode draft = r.json().path("draft");
    assertThat(draft.path("name").asText()).isEqualTo("look_up_current_exchange");
    assertThat(draft.path("kind").asText()).isEqualTo("http");
    assertThat(releases(org, "helper")).isEqualTo(1);

    Http.Response persisted = http.post("/api/v1/agent/helper/tools/persist", org.token(),
        Http.JSON.convertValue(r.json(), Map.class));

    assertThat(persisted.status()).as(persisted.body()).isEqualTo(201);
    assertThat(persisted.json().path("tool").path("name").asText()).isEqualTo("look_up_current_exchange");
    assertThat(releases(org, "helper")).isEqualTo(2);
    assertError(http.post("/api/v1/agent/helper/tools/persist", org.token(), Map.of("tool", draft)), 409,
        "tool_exists");
  }

  @Test
  void generate_andPersist_withBadInput_return400() {
    TestOrg org = newOrg();
    createAgent(org, "helper");

    assertError(http.post("/api/v1/agent/helper/tools/generate", org.token(), Map.of("description", " ")), 400,
        "invalid_request");
    assertError(http.post("/api/v1/agent/helper/tools/persist", org.token(), Map.of("other", 1)), 400,
        "invalid_request");
    assertError(http.post("/api/v1/agent/helper/tools/persist", org.token(), Map.of("tool", Map.of("name", "x",
        "kind", "http"))), 400, "invalid_tool");
    assertThat(releases(org, "helper")).isEqualTo(1);
  }

  @Test
  void routes_ofAnotherOrgsAgent_return404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    createAgent(other, "theirs", List.of("calculator"));

    assertError(http.get("/api/v1/agent/theirs/tools", org.token()), 404, "not_found");
    assertError(http.get("/api/v1/agent/theirs/tools/calculator", org.token()), 404, "not_found");
    assertError(http.post("/api/v1/agent/theirs/tools", org.token(), WEATHER), 404, "not_found");
    assertError(http.patch("/api/v1/agent/theirs/tools/calculator", org.token(), Map.of("approval", "always")), 404,
        "not_found");
    assertError(http.put("/api/v1/agent/theirs/tools/calculator/approval", org.token(), "\"always\""), 404, "not_found");
    assertError(http.delete("/api/v1/agent/theirs/tools/calculator", org.token()), 404, "not_found");
    assertError(http.post("/api/v1/agent/theirs/tools/calculator/run", org.token(),
        Map.of("arguments", Map.of("expression", "1"))), 404, "not_found");
    assertError(http.post("/api/v1/agent/theirs/tools/generate", org.token(), Map.of("description", "x")), 404,
        "not_found");
    assertError(http.post("/api/v1/agent/theirs/tools/persist", org.token(), Map.of("tool", WEATHER)), 404,
        "not_found");
    assertThat(releases(other, "theirs")).isEqualTo(1);
  }

  @Test
  void routes_ofATombstonedAgent_return410() {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));
    assertThat(http.delete("/api/v1/agent/helper", org.token()).status()).isEqualTo(204);

    assertError(http.get("/api/v1/agent/helper/tools/calculator", org.token()), 410, "agent_tombstoned");
    assertError(http.post("/api/v1/agent/helper/tools", org.token(), WEATHER), 410, "agent_tombstoned");
    assertError(http.put("/api/v1/agent/helper/tools/calculator/approval", org.token(), "\"always\""), 410,
        "agent_tombstoned");
    assertError(http.delete("/api/v1/agent/helper/tools/calculator", org.token()), 410, "agent_tombstoned");
    assertError(http.post("/api/v1/agent/helper/tools/generate", org.token(), Map.of("description", "x")), 410,
        "agent_tombstoned");
  }
}
