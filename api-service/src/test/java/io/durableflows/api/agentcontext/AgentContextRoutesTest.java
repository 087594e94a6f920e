package io.durableflows.api.agentcontext;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentContextRoutesTest extends ApiTest {
  private TestOrg orgWithAgent() {
    TestOrg org = newOrg();
    assertThat(http.put("/api/v1/skills/triage", org.token(),
        Map.of("description", "Sort tickets", "body", "Tag each ticket by urgency.")).status()).isEqualTo(201);
    assertThat(http.post("/api/v1/prompt-blocks", org.token(),
        Map.of("name", "tone", "body", "Be kind to {{user}}.")).status()).isEqualTo(201);
    assertThat(http.post("/api/v1/prompt-blocks", org.token(), Map.of("name", "clock",
        "source", Map.of("kind", "current_time", "timezone", "Europe/Paris"), "ttl_seconds", 600)).status())
        .isEqualTo(201);
    Http.Response flow = http.post("/api/v1/flows", org.token(), AgentFlows.agent("support", Map.of(
        "systemPrompt", "You are a support agent.",
        "skills", List.of("triage", "refunds"), "promptBlocks", List.of("tone"), "contextBlocks", List.of("clock"))));
    assertThat(flow.status()).as(flow.body()).isEqualTo(201);
    return org;
  }

  @Test
  void skills_listsTheSkillsTheAgentNames_markingMissingOnes() {
    TestOrg org = orgWithAgent();

    JsonNode body = http.get("/api/v1/agent/support/skills", org.token()).json();

    assertThat(body.path("agent").asText()).isEqualTo("support");
    assertThat(body.path("data").findValuesAsText("name")).containsExactly("triage", "refunds");
    assertThat(body.path("data").get(0).path("description").asText()).isEqualTo("Sort tickets");
    assertThat(body.path("data").get(0).path("missing").asBoolean()).isFalse();
    assertThat(body.path("data").get(1).path("missing").asBoolean()).isTrue();
  }

  @Test
  void contextBlocks_listKindTypeAndCacheState() {
    TestOrg org = orgWithAgent();

    JsonNode data = http.get("/api/v1/agent/support/context/blocks", org.token()).json().path("data");

    assertThat(data.findValuesAsText("name")).containsExactly("tone", "clock");
    assertThat(data.findValuesAsText("kind")).containsExactly("prompt", "context");
    assertThat(data.get(0).path("type").asText()).isEqualTo("static");
    assertThat(data.get(1).path("type").asText()).isEqualTo("dynamic");
    assertThat(data.get(1).path("cache").path("state").asText()).isEqualTo("empty");
  }

  @Test
  void build_rendersSkillsAndBlocksThroughTemporal() {
    TestOrg org = orgWithAgent();

    JsonNode built = http.post("/api/v1/agent/support/context/blocks/build", org.token(),
        Map.of("variables", Map.of("user", "Ada"))).json();

    assertThat(built.path("text").asText())
        .startsWith("<skill name=\"triage\">\nTag each ticket by urgency.\n</skill>\n\n<block name=\"tone\">\nBe kind to Ada.\n</block>")
        .contains("<block name=\"clock\">\nCurrent time: ").contains("Europe/Paris)");
    assertThat(built.path("blocks").findValuesAsText("name")).containsExactly("triage", "refunds", "tone", "clock");
    assertThat(built.path("blocks").get(1).path("missing").asBoolean()).isTrue();
    assertThat(built.path("blocks").get(3).path("cache").asText()).isEqualTo("rendered");

    JsonNode again = http.post("/api/v1/agent/support/context/blocks/build", org.token(), null).json();
    assertThat(again.path("blocks").get(3).path("cache").asText()).isEqualTo("hit");
    assertThat(again.path("text").asText()).contains("Be kind to .");
  }

  @Test
  void preload_rendersTheDynamicBlocksIntoTheCache() {
    TestOrg org = orgWithAgent();

    JsonNode preloaded = http.post("/api/v1/agent/support/context/preload", org.token(), null).json();

    assertThat(preloaded.path("preloaded").get(0).asText()).isEqualTo("clock");
    JsonNode blocks = http.get("/api/v1/agent/support/context/blocks", org.token()).json().path("data");
    assertThat(blocks.get(1).path("cache").path("state").asText()).isEqualTo("fresh");
    JsonNode built = http.post("/api/v1/agent/support/context/blocks/build", org.token(), null).json();
    assertThat(built.path("blocks").get(3).path("cache").asText()).isEqualTo("hit");
  }

  @Test
  void aFlowWithoutAgentNode_andUnknownOrOtherOrgsAgents_are404() {
    TestOrg org = orgWithAgent();
    TestOrg other = newOrg();
    createExample(org, "qa-raw");

    for (String path : List.of("/skills", "/context/blocks")) {
      assertNotFound(http.get("/api/v1/agent/qa-raw" + path, org.token()));
      assertNotFound(http.get("/api/v1/agent/nope" + path, org.token()));
      assertNotFound(http.get("/api/v1/agent/support" + path, other.token()));
    }
    for (String path : List.of("/context/blocks/build", "/context/preload")) {
      assertNotFound(http.post("/api/v1/agent/qa-raw" + path, org.token(), null));
      assertNotFound(http.post("/api/v1/agent/support" + path, other.token(), null));
    }
  }

  @Test
  void agentRun_hasItsSkillsAndBlocksInTheSystemPrompt() {
    TestOrg org = orgWithAgent();
    assertThat(http.post("/api/v1/prompt-blocks", org.token(),
        Map.of("name", "ticket", "body", "The ticket: {{message}}")).status()).isEqualTo(201);
    Http.Response flow = http.post("/api/v1/flows", org.token(), AgentFlows.agent("stubbed", Map.of(
        "provider", "stub", "systemPrompt", "You are a support agent.", "skills", List.of("triage"),
        "promptBlocks", List.of("ticket"))));
    assertThat(flow.status()).as(flow.body()).isEqualTo(201);
    stub.enqueue(io.durableflows.activities.llm.OpenAiStubServer.Reply.success("Tagged."));

    Http.Response run = http.post("/api/llm/" + org.code() + "/flows/stubbed/run", org.token(),
        Map.of("input", Map.of("message", "Site is down")));

    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.body()).isEqualTo("Tagged.");
    JsonNode system = stub.lastRequest().json().path("messages").get(0);
    assertThat(system.path("role").asText()).isEqualTo("system");
    // Static block variables come from the run's input.
    assertThat(system.path("content").asText()).isEqualTo("""
        You are a support agent.

        <skill name="triage">
        Tag each ticket by urgency.
        </skill>

        <block name="ticket">
        The ticket: Site is down
        </block>""");
  }

  @Test
  void aDeletedAgent_is410() {
    TestOrg org = orgWithAgent();
    assertThat(http.delete("/api/v1/flows/support", org.token()).status()).isEqualTo(204);

    Http.Response r = http.get("/api/v1/agent/support/skills", org.token());
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.json().path("error").asText()).isEqualTo("agent_tombstoned");
  }

  @Test
  void build_withBadBody_is400() {
    TestOrg org = orgWithAgent();

    assertThat(http.post("/api/v1/agent/support/context/blocks/build", org.token(), Map.of("variables", List.of()))
        .status()).isEqualTo(400);
    assertThat(http.post("/api/v1/agent/support/context/blocks/build", org.token(), Map.of("vars", Map.of()))
        .status()).isEqualTo(400);
    assertThat(http.postRaw("/api/v1/agent/support/context/blocks/build", org.token(), "application/json", "[")
        .status()).isEqualTo(400);
  }

  @Test
  void agentFlow_withBadSkillList_isRejectedOnSave() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/flows", org.token(), AgentFlows.agent("bad", Map.of("skills", "triage")));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("details").findValuesAsText("field")).containsExactly("data.skills");
  }

  private static void assertNotFound(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).isEqualTo("not_found");
  }
}
