package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.OpenAiStubServer.ToolCallReply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flows with an agent node, run over HTTP: the offline model's tool loop, and a provider scripted to call tools. */
class AgentNodeRunTest extends RunApiTest {

  /** agent-tools under {@code slug}, its agent answered by the stub provider. */
  private void createStubAgent(TestOrg org, String slug) {
    Map<String, Object> doc = example("agent-tools");
    doc.put("slug", slug);
    node(doc, "agent").put("provider", "stub");
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private Http.Response run(TestOrg org, String slug, String message) {
    return http.post(flowPath(org, slug) + "/run", org.token(), input("message", message));
  }

  @Test
  void agentTools_withTheOfflineModel_callsTheCalculatorAndAnswersWithItsResult() {
    TestOrg org = newOrg();
    createExample(org, "agent-tools");

    Http.Response r = run(org, "agent-tools", "What is (12.5 + 7) * 3?");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("The result is 58.5.");
  }

  @Test
  void agentTools_viaFlowRequest_listsTheToolCallsAsAiMessageSteps() {
    TestOrg org = newOrg();
    createExample(org, "agent-tools");

    Http.Response r = http.post(flowRequestPath(org, "agent-tools"), org.token(),
        Map.of("body", Map.of("message", "What time is it now?"), "options", Map.of("stream", "none")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode steps = r.json().path("aiMessage").path("steps");
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).path("tool").asText()).isEqualTo("current_time");
    assertThat(steps.get(0).path("output").isMissingNode()).isFalse();
    assertThat(r.json().path("aiMessage").path("content").asText()).startsWith("The current time is ");
  }

  @Test
  void agent_withParallelToolCallsFromTheProvider_runsBoth_andSendsTheResultsBack() {
    TestOrg org = newOrg();
    createStubAgent(org, "calc-agent");
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_a", "calculator", "{\"expression\":\"2+3\"}"),
            new ToolCallReply("call_b", "calculator", "{\"expression\":\"4*5\"}")),
        Reply.success("5 and 20."));

    Http.Response r = run(org, "calc-agent", "Compute 2+3 and 4*5");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode messages = stub.lastRequest().json().path("messages");
    List<String> results = new java.util.ArrayList<>();
    messages.forEach(m -> {
      if (m.path("role").asText().equals("tool")) results.add(m.path("tool_call_id").asText() + "=" + m.path("content").asText());
    });
    assertThat(results).containsExactly("call_a=5", "call_b=20");
  }

  @Test
  void agent_withMalformedToolArguments_tellsTheModel_andTheRunCompletes() {
    TestOrg org = newOrg();
    createStubAgent(org, "calc-agent");
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_a", "calculator", "{\"expression\": 2+")),
        Reply.success("Sorry, let me answer directly: 5."));

    Http.Response r = run(org, "calc-agent", "Compute 2+3");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode tool = stub.lastRequest().json().path("messages").get(3);
    assertThat(tool.path("role").asText()).isEqualTo("tool");
    assertThat(tool.path("content").asText()).startsWith("Error (InvalidToolArguments)");
  }

  @Test
  void agent_streamedOver003_showsToolStartDoneAndUiBlocks() {
    TestOrg org = newOrg();
    createExample(org, "agent-tools");
    publish(org, "agent-tools");

    try (StreamClient s = stream(Map.of("x-api-key", org.token()), "/agents/agent-tools/chat",
        Map.of("text", "What is 6*7?"))) {
      List<Sse> events = StreamClient.events(s.rest(WAIT));

      List<String> states = events.stream().filter(e -> e.event().equals("status"))
          .map(e -> json(e.data()).path("state").asText()).toList();
      assertThat(states).containsSubsequence("thinking", "tool_start", "tool_done");
      JsonNode blocks = json(events.stream().filter(e -> e.event().equals("ui_blocks")).findFirst().orElseThrow().data());
      assertThat(blocks.path("tool").asText()).isEqualTo("calculator");
      assertThat(blocks.path("blocks").get(0).path("body").asText()).isEqualTo("42");
      JsonNode done = json(events.stream().filter(e -> e.event().equals("done")).findFirst().orElseThrow().data());
      assertThat(done.path("text").asText()).isEqualTo("The result is 42.");
      assertThat(done.path("tools").get(0).asText()).isEqualTo("calculator");
    }
  }

  @Test
  void agent_runView_listsEachModelTurnAndToolCallWithItsJournalKey() {
    TestOrg org = newOrg();
    createExample(org, "agent-tools");

    String runId = startAsync(org, "agent-tools", input("message", "What is 6*7?"));
    JsonNode run = settled(org, runId);

    assertThat(run.path("status").asText()).isEqualTo("completed");
    List<String> keys = new java.util.ArrayList<>();
    run.path("calls").forEach(c -> keys.add(c.path("idempotency_key").asText()));
    assertThat(keys).contains(runId + "/agent/turn-1", runId + "/agent/turn-1/call-1", runId + "/agent/turn-2");
  }

  @Test
  void saveFlow_withAnAgentNamingAnUnknownTool_returns400WithTheNode() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("agent-tools");
    node(doc, "agent").put("tools", List.of("calculator", "shell"));

    Http.Response r = http.post("/api/v1/flows", org.token(), doc);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("agent").contains("data.tools[1]").contains("no built-in tool 'shell'");
  }
}
