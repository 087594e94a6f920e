package io.durableflows.api.capabilities;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.agentcontext.AgentFlows;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilityRoutesTest extends ApiTest {
  private TestOrg orgWithAgent(Map<String, Object> agentData) {
    TestOrg org = newOrg();
    Http.Response flow = http.post("/api/v1/flows", org.token(), AgentFlows.agent("helper", agentData));
    assertThat(flow.status()).as(flow.body()).isEqualTo(201);
    return org;
  }

  @Test
  void plan_withOfflineModel_answersNumberedStepsFromADurableRun() {
    TestOrg org = orgWithAgent(Map.of("systemPrompt", "You help with releases."));

    Http.Response r = http.post("/api/v1/agent/helper/capability/plan", org.token(), Map.of("goal", "ship v2"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode plan = r.json();
    assertThat(plan.path("steps")).hasSize(4);
    assertThat(plan.path("steps").get(0).asText()).isEqualTo("Clarify what \"ship v2\" requires and what done looks like.");
    assertThat(plan.path("text").asText()).startsWith("1. Clarify");
    String runId = plan.path("run_id").asText();
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("flow").asText()).isEqualTo("capability-plan");
    assertThat(http.get("/api/v1/runs?flow=capability-plan", org.token()).json().path("data").findValuesAsText("id"))
        .contains(runId);
  }

  @Test
  void plan_usesTheAgentsModelSettings() {
    TestOrg org = orgWithAgent(Map.of("provider", "stub", "model", "gpt-4o", "temperature", 0.3));
    stub.enqueue(OpenAiStubServer.Reply.success("1. Read the spec\n2. Write the code\n3. Test it"));

    JsonNode plan = http.post("/api/v1/agent/helper/capability/plan", org.token(), Map.of("goal", "build it")).json();

    assertThat(plan.path("steps").get(2).asText()).isEqualTo("Test it");
    JsonNode request = stub.lastRequest().json();
    assertThat(request.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(request.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(request.path("messages").get(1).path("content").asText()).isEqualTo("Goal: build it");
  }

  @Test
  void reflect_withOfflineModel_answersCritiqueAndRevision() {
    TestOrg org = orgWithAgent(Map.of());

    Http.Response r = http.post("/api/v1/agent/helper/capability/reflect", org.token(),
        Map.of("draft", "we ship on friday", "criteria", "formal tone"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("critique").asText()).startsWith("checked against \"formal tone\"")
        .contains("does not start with a capital letter");
    assertThat(body.path("revised").asText()).isEqualTo("We ship on friday.");
    assertThat(http.get("/api/v1/runs/" + body.path("run_id").asText(), org.token()).json().path("flow").asText())
        .isEqualTo("capability-reflect");
  }

  @Test
  void retrieve_ranksSnippetsFromTheAgentsSkillsAndBlocks() {
    TestOrg org = orgWithAgent(Map.of("skills", List.of("refunds", "triage"), "promptBlocks", List.of("policy")));
    http.put("/api/v1/skills/refunds", org.token(), Map.of("description", "Refund rules",
        "body", "Refunds are paid within 30 days. A refund needs the order number."));
    http.put("/api/v1/skills/triage", org.token(), Map.of("body", "Tag each ticket by urgency."));
    http.put("/api/v1/skills/unassigned", org.token(), Map.of("body", "refund refund refund"));
    http.post("/api/v1/prompt-blocks", org.token(), Map.of("name", "policy", "body", "Never promise a refund date."));

    JsonNode body = http.post("/api/v1/agent/helper/capability/retrieve", org.token(),
        Map.of("query", "refund order")).json();

    JsonNode results = body.path("results");
    assertThat(results.findValuesAsText("name")).containsExactly("refunds", "policy");
    assertThat(results.get(0).path("kind").asText()).isEqualTo("skill");
    assertThat(results.get(0).path("score").asInt()).isGreaterThan(results.get(1).path("score").asInt());
    assertThat(results.get(0).path("snippet").asText()).contains("Refunds are paid");
    assertThat(results.get(1).path("kind").asText()).isEqualTo("prompt_block");
  }

  @Test
  void badInput_is400_andNothingRuns() {
    TestOrg org = orgWithAgent(Map.of());
    String base = "/api/v1/agent/helper/capability/";

    assertBad(http.post(base + "plan", org.token(), Map.of()), "goal");
    assertBad(http.post(base + "plan", org.token(), Map.of("goal", 5)), "goal");
    assertBad(http.post(base + "plan", org.token(), Map.of("goal", "x", "steps", 3)), "steps");
    assertBad(http.post(base + "reflect", org.token(), Map.of("draft", "")), "draft");
    assertBad(http.post(base + "reflect", org.token(), Map.of("draft", "x", "criteria", List.of())), "criteria");
    assertBad(http.post(base + "retrieve", org.token(), Map.of("query", " ")), "query");
    assertBad(http.post(base + "retrieve", org.token(), Map.of("query", "x", "limit", 0)), "limit");
    assertThat(http.postRaw(base + "plan", org.token(), "application/json", "{").status()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs", org.token()).json().path("data")).isEmpty();
  }

  @Test
  void otherOrgsOrNonAgentFlows_are404() {
    TestOrg org = orgWithAgent(Map.of());
    TestOrg other = newOrg();
    createExample(org, "qa-raw");
    for (String capability : List.of("plan", "reflect", "retrieve")) {
      Map<String, Object> body = Map.of("plan", Map.of("goal", "g"), "reflect", Map.of("draft", "d"),
          "retrieve", Map.of("query", "q")).get(capability) instanceof Map<?, ?> m ? castMap(m) : Map.of();
      assertThat(http.post("/api/v1/agent/helper/capability/" + capability, other.token(), body).status())
          .isEqualTo(404);
      assertThat(http.post("/api/v1/agent/qa-raw/capability/" + capability, org.token(), body).status())
          .isEqualTo(404);
    }
    assertThat(http.get("/api/v1/runs", other.token()).json().path("data")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static void assertBad(Http.Response r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("details").findValuesAsText("field")).containsExactly(field);
  }
}
