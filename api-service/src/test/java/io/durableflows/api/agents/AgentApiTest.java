package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Base of the agents API tests: agent flows (input -> agent -> output) created and published over HTTP. */
public abstract class AgentApiTest extends ApiTest {
  /** An agent flow: a {@code message} input, one agent node {@code agent_1} with these tools, a raw output. */
  protected static Map<String, Object> agentFlow(String slug, List<Object> tools) {
    Map<String, Object> agentData = new LinkedHashMap<>();
    agentData.put("systemPrompt", "You are a helpful assistant.");
    agentData.put("prompt", "{{input.message}}");
    agentData.put("tools", new ArrayList<>(tools));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("slug", slug);
    doc.put("name", "Agent " + slug);
    doc.put("description", "An agent for tests");
    doc.put("nodes", List.of(
        Map.of("id", "input", "type", "input", "data",
            Map.of("variables", List.of(Map.of("name", "message", "type", "string", "required", true)))),
        Map.of("id", "agent_1", "type", "agent", "data", agentData),
        Map.of("id", "output", "type", "output", "data", Map.of("shape", "raw", "source", "agent_1"))));
    doc.put("edges", List.of(Map.of("id", "e1", "source", "input", "target", "agent_1"),
        Map.of("id", "e2", "source", "agent_1", "target", "output")));
    return doc;
  }

  /** Saves an agent flow and publishes release 1. */
  protected JsonNode createAgent(TestOrg org, String slug, List<Object> tools) {
    Http.Response created = http.post("/api/v1/flows", org.token(), agentFlow(slug, tools));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Http.Response published = http.post("/api/v1/flows/" + slug + "/releases", org.token(), Map.of());
    assertThat(published.status()).as(published.body()).isEqualTo(201);
    return created.json();
  }

  protected JsonNode createAgent(TestOrg org, String slug) {
    return createAgent(org, slug, List.of());
  }

  /** How many releases the flow has: a refused change must not add one. */
  protected int releases(TestOrg org, String slug) {
    Http.Response r = http.get("/api/v1/flows/" + slug + "/releases", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("data").size();
  }

  protected JsonNode config(TestOrg org, String slug) {
    Http.Response r = http.get("/api/v1/agent/" + slug + "/config", org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("config");
  }

}
