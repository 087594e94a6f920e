package io.durableflows.api.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.OpenAiStubServer.ToolCallReply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Switch, map and subflow nodes over HTTP: saved and validated, run on the embedded workers. */
class GraphFlowsApiTest extends RunApiTest {

  private Http.Response runFlow(TestOrg org, String slug, Map<String, Object> body) {
    return http.post(flowPath(org, slug) + "/run", org.token(), body);
  }

  @Test
  void create_withABadCelCondition_returns400NamingTheNodeAndTheCase() {
    TestOrg org = newOrg();
    Map<String, Object> doc = example("router");
    node(doc, "route").put("cases", List.of(Map.of("id", "big", "when", "input.amount >> 1000")));

    Http.Response r = http.post("/api/v1/flows", org.token(), doc);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_flow");
    JsonNode detail = r.json().path("details").get(0);
    assertThat(detail.path("node").asText()).isEqualTo("route");
    assertThat(detail.path("field").asText()).isEqualTo("data.cases[0].when");
    assertThat(detail.path("message").asText()).contains("case 'big'");
    assertThat(http.get("/api/v1/flows/router", org.token()).status()).isEqualTo(404);
  }

  @Test
  void update_withABadCelCondition_returns400() {
    TestOrg org = newOrg();
    createExample(org, "router");
    Map<String, Object> doc = example("router");
    node(doc, "route").put("cases", List.of(Map.of("id", "big", "when", "nobody.text == 'x'")));

    Http.Response r = http.put("/api/v1/flows/router", org.token(), doc);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("node").asText()).isEqualTo("route");
  }

  @Test
  void run_routerExample_routesByInput() {
    TestOrg org = newOrg();
    createExample(org, "router");

    Http.Response big = runFlow(org, "router", input("amount", 1500, "request", "40 chairs"));
    Http.Response small = runFlow(org, "router", input("amount", 20));

    assertThat(big.status()).as(big.body()).isEqualTo(200);
    assertThat(big.body()).contains("Offline answer to").contains("1500").contains("40 chairs");
    assertThat(small.status()).as(small.body()).isEqualTo(200);
    assertThat(small.body()).contains("Order of 20 confirmed automatically.");
    String events = http.get("/api/v1/runs/" + small.header("X-Run-Id") + "/events", org.token()).body();
    assertThat(events).contains("node_skipped").contains("\"review\"");
  }

  private void createEcho(TestOrg org) {
    Http.Response r = http.post("/api/v1/flows", org.token(), Map.of(
        "slug", "echo",
        "nodes", List.of(
            Map.of("id", "input", "type", "input", "data", Map.of("variables",
                List.of(Map.of("name", "text", "type", "string", "required", true)))),
            Map.of("id", "shout", "type", "template", "data", Map.of("template", "echo: {{input.text}}")),
            Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw"))),
        "edges", List.of(Map.of("source", "input", "target", "shout"), Map.of("source", "shout", "target", "output"))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private void createParent(TestOrg org, String slug, Map<String, Object> work) {
    Http.Response r = http.post("/api/v1/flows", org.token(), Map.of(
        "slug", slug,
        "nodes", List.of(
            Map.of("id", "input", "type", "input", "data", Map.of("variables",
                List.of(Map.of("name", "text", "type", "string"), Map.of("name", "list", "type", "array")))),
            work,
            Map.of("id", "output", "type", "output", "data", Map.of("shape", "json_template",
                "template", Map.of("result", "{{work}}", "text", "{{work.text}}")))),
        "edges", List.of(Map.of("source", "input", "target", "work"), Map.of("source", "work", "target", "output"))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Test
  void run_withSubflow_runsTheChildAsItsOwnVisibleRun() {
    TestOrg org = newOrg();
    createEcho(org);
    createParent(org, "parent", Map.of("id", "work", "type", "subflow",
        "data", Map.of("flow", "echo", "input", Map.of("text", "{{input.text}}"))));

    Http.Response r = runFlow(org, "parent", input("text", "hello"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("result").asText()).isEqualTo("echo: hello");
    String parentId = r.header("X-Run-Id");
    String events = http.get("/api/v1/runs/" + parentId + "/events", org.token()).body();
    var started = java.util.regex.Pattern.compile("subflow_started.*?\"child_run_id\":\"(run_[0-9a-f]+)\"")
        .matcher(events);
    assertThat(started.find()).as(events).isTrue();
    String childId = started.group(1);
    assertThat(events).contains("subflow_finished");
    JsonNode child = run(org, childId);
    assertThat(child.path("status").asText()).isEqualTo("completed");
    assertThat(child.path("flow").asText()).isEqualTo("echo");
    assertThat(child.path("channel").asText()).isEqualTo("subflow");
    assertThat(child.path("output").asText()).isEqualTo("echo: hello");
    assertThat(child.path("metadata").path("parent_run_id").asText()).isEqualTo(parentId);
    assertThat(child.path("workflow_id").asText()).isEqualTo("run/" + org.code() + "/echo/" + childId);
    TestOrg other = newOrg();
    assertThat(http.get("/api/v1/runs/" + childId, other.token()).status()).isEqualTo(404);
  }

  @Test
  void run_withSubflowOfInvalidInput_failsNamingTheField() {
    TestOrg org = newOrg();
    createEcho(org);
    createParent(org, "parent", Map.of("id", "work", "type", "subflow",
        "data", Map.of("flow", "echo", "input", Map.of("txt", "{{input.text}}"))));

    Http.Response r = runFlow(org, "parent", input("text", "hello"));

    assertThat(r.status()).as(r.body()).isEqualTo(500);
    assertThat(r.json().path("message").asText()).contains("node 'work'", "echo", "input.text");
  }

  @Test
  void run_withMapOverAFlow_returnsTheChildOutputsInOrder() {
    TestOrg org = newOrg();
    createEcho(org);
    createParent(org, "fan", Map.of("id", "work", "type", "map", "data", Map.of(
        "items", "{{input.list}}", "concurrency", 2, "flow", "echo", "input", Map.of("text", "{{item}}"))));

    Http.Response r = runFlow(org, "fan", input("list", List.of("a", "b", "c")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("result").toString()).isEqualTo("[\"echo: a\",\"echo: b\",\"echo: c\"]");
  }

  /** The README's route-all: router.json once per order, as child runs. */
  @Test
  void run_readmeMapOverTheRouter_routesEachOrder() {
    TestOrg org = newOrg();
    createExample(org, "router");
    Http.Response created = http.post("/api/v1/flows", org.token(), Map.of(
        "slug", "route-all",
        "nodes", List.of(
            Map.of("id", "input", "type", "input", "data", Map.of("variables",
                List.of(Map.of("name", "orders", "type", "array")))),
            Map.of("id", "each", "type", "map", "data", Map.of("items", "{{input.orders}}", "concurrency", 2,
                "flow", "router", "input", Map.of("amount", "{{item.amount}}", "request", "{{item.request}}"))),
            Map.of("id", "output", "type", "output", "data", Map.of("shape", "json_template",
                "template", Map.of("answers", "{{each}}")))),
        "edges", List.of(Map.of("source", "input", "target", "each"), Map.of("source", "each", "target", "output"))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    Http.Response r = runFlow(org, "route-all", input("orders", List.of(Map.of("amount", 20, "request", "a pen"),
        Map.of("amount", 5000, "request", "a car"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode answers = r.json().path("answers");
    assertThat(answers.get(0).asText()).isEqualTo("Order of 20 confirmed automatically.");
    assertThat(answers.get(1).asText()).startsWith("Offline answer to \"A customer placed an order of 5000: a car.");
  }

  /** ChildRuns behind the agent node: a sub-agent's flow is a child run of the agent's run. */
  @Test
  void run_agentCallingASubagent_runsItsFlowAsAVisibleChildRun() {
    TestOrg org = newOrg();
    Http.Response sub = http.post("/api/v1/flows", org.token(), Map.of(
        "slug", "summariser",
        "nodes", List.of(
            Map.of("id", "input", "type", "input", "data", Map.of("variables",
                List.of(Map.of("name", "message", "type", "string", "required", true)))),
            Map.of("id", "t", "type", "template", "data", Map.of("template", "summary of {{input.message}}")),
            Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw"))),
        "edges", List.of(Map.of("source", "input", "target", "t"), Map.of("source", "t", "target", "output"))));
    assertThat(sub.status()).as(sub.body()).isEqualTo(201);
    Map<String, Object> doc = example("agent-tools");
    doc.put("slug", "boss");
    node(doc, "agent").put("provider", "stub");
    node(doc, "agent").put("subagents", List.of(Map.of("name", "helper", "description", "Summarises a text",
        "flow", "summariser")));
    Http.Response created = http.post("/api/v1/flows", org.token(), doc);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_1", "helper", "{\"task\": \"the tides\"}")),
        Reply.success("Done."));

    Http.Response r = runFlow(org, "boss", input("message", "Summarise the tides"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> toolAnswers = new java.util.ArrayList<>();
    stub.lastRequest().json().path("messages").forEach(m -> {
      if (m.path("role").asText().equals("tool")) toolAnswers.add(m.path("content").asText());
    });
    assertThat(toolAnswers).containsExactly("summary of the tides");
    String events = http.get("/api/v1/runs/" + r.header("X-Run-Id") + "/events", org.token()).body();
    var started = java.util.regex.Pattern.compile("subflow_started.*?\"child_run_id\":\"(run_[0-9a-f]+)\"")
        .matcher(events);
    assertThat(started.find()).as(events).isTrue();
    JsonNode child = run(org, started.group(1));
    assertThat(child.path("status").asText()).isEqualTo("completed");
    assertThat(child.path("flow").asText()).isEqualTo("summariser");
    assertThat(child.path("channel").asText()).isEqualTo("subflow");
    assertThat(child.path("input").path("message").asText()).isEqualTo("the tides");
  }
}
