package io.durableflows.api.tooldryrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ToolDryRunRoutesTest extends ApiTest {
  private static final String SECRET = "sk-dry-run-secret-7777";

  @Autowired
  JdbcClient jdbc;

  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/weather", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      byte[] body = ("{\"city\":\"" + ex.getRequestURI().getQuery() + "\",\"auth\":\"" + auth + "\",\"temp\":18}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** agent-tools under a fresh slug, with these tools. */
  private String createAgent(TestOrg org, List<Object> tools) {
    String slug = "agent-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> doc = example("agent-tools");
    doc.put("slug", slug);
    node(doc, "agent").put("tools", tools);
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return slug;
  }

  private Map<String, Object> weatherTool(String url) {
    return Map.of("name", "weather", "kind", "http", "description", "Current weather for a city",
        "parameters", Map.of("type", "object", "required", List.of("city"),
            "properties", Map.of("city", Map.of("type", "string"))),
        "http", Map.of("url", url, "headers", Map.of("Authorization", "Bearer {{secrets.WEATHER_KEY}}"),
            "allowHosts", List.of("127.0.0.1")));
  }

  private String stubUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/weather?q={{args.city}}";
  }

  private Http.Response dryRun(TestOrg org, String agent, Object body) {
    return http.post("/api/v1/agent/" + agent + "/tools/dry-run", org.token(), body);
  }

  @Test
  void httpTool_runsOnceThroughTheWorkers_withTheOrgsSecret_andPersistsNothing() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of("calculator"));
    http.put("/api/v1/secrets/WEATHER_KEY", org.token(), Map.of("value", SECRET));
    long journal = jdbc.sql("select count(*) from call_journal").query(Long.class).single();

    Http.Response r = dryRun(org, agent, Map.of("tool", weatherTool(stubUrl()), "arguments", Map.of("city", "Nice")));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode json = r.json();
    assertThat(json.get("ok").asBoolean()).isTrue();
    assertThat(json.get("output").get("status").asInt()).isEqualTo(200);
    assertThat(json.get("output").get("body").get("city").asText()).isEqualTo("q=Nice");
    assertThat(json.get("output").get("body").get("auth").asText()).isEqualTo("Bearer [secret]");
    assertThat(json.get("text").asText()).contains("\"temp\":18");
    assertThat(json.has("duration_ms")).isTrue();
    assertThat(r.body()).doesNotContain(SECRET);
    assertThat(jdbc.sql("select count(*) from runs where org_id = ?").param(org.id()).query(Long.class).single())
        .isZero();
    assertThat(jdbc.sql("select count(*) from call_journal").query(Long.class).single()).isEqualTo(journal);
  }

  @Test
  void toolNamedFromTheAgentsTools_runs() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of("calculator"));

    Http.Response r = dryRun(org, agent, Map.of("name", "calculator", "arguments", Map.of("expression", "6*7")));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("ok").asBoolean()).isTrue();
    assertThat(r.json().get("text").asText()).isEqualTo("42");
  }

  @Test
  void blockedAddress_answersOkFalseWithToolBlocked() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of());
    Map<String, Object> tool = Map.of("name", "metadata", "kind", "http", "description", "Reads instance metadata",
        "http", Map.of("url", "http://169.254.169.254/latest/meta-data/"));

    Http.Response r = dryRun(org, agent, Map.of("tool", tool));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("ok").asBoolean()).isFalse();
    assertThat(r.json().get("error").asText()).isEqualTo("ToolBlocked");
    assertThat(r.json().get("message").asText()).contains("cloud metadata");
  }

  @Test
  void unknownSecret_answersOkFalseNamingIt() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of());

    Http.Response r = dryRun(org, agent, Map.of("tool", weatherTool(stubUrl()), "arguments", Map.of("city", "Nice")));

    assertThat(r.json().get("ok").asBoolean()).as(r.toString()).isFalse();
    assertThat(r.json().get("error").asText()).isEqualTo("SecretNotFound");
    assertThat(r.json().get("message").asText()).contains("WEATHER_KEY");
  }

  @Test
  void invalidDefinition_is400WithDetails() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of());
    Map<String, Object> tool = Map.of("name", "bad tool!", "kind", "http", "description", "x",
        "http", Map.of("url", "ftp://example.com", "method", "BREW", "timeout", "5m"));

    Http.Response r = dryRun(org, agent, Map.of("tool", tool));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("invalid_tool");
    assertThat(r.body()).contains("name:").contains("http.url").contains("http.method").contains("http.timeout");
  }

  @Test
  void argumentsNotMatchingTheParameters_are400() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of());

    Http.Response r = dryRun(org, agent, Map.of("tool", weatherTool(stubUrl()), "arguments", Map.of("city", 3)));
    Http.Response notObject = dryRun(org, agent, Map.of("tool", weatherTool(stubUrl()), "arguments", List.of()));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("invalid_arguments");
    assertThat(notObject.status()).isEqualTo(400);
  }

  @Test
  void badBodies_are400() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of("calculator"));

    assertThat(dryRun(org, agent, Map.of()).status()).isEqualTo(400);
    assertThat(dryRun(org, agent, Map.of("tool", "calculator", "name", "calculator")).status()).isEqualTo(400);
    assertThat(dryRun(org, agent, Map.of("name", 5)).status()).isEqualTo(400);
    assertThat(dryRun(org, agent, Map.of("tool", Map.of("name", "r", "kind", "flow", "description", "d",
        "flow", "other"))).status()).isEqualTo(400);
    assertThat(http.postRaw("/api/v1/agent/" + agent + "/tools/dry-run", org.token(), "application/json", "{nope")
        .status()).isEqualTo(400);
  }

  @Test
  void unknownAgentOrTool_is404() {
    TestOrg org = newOrg();
    TestOrg other = newOrg();
    String agent = createAgent(org, List.of("calculator"));
    Map<String, Object> flow = new LinkedHashMap<>(example("qa-raw"));

    Http.Response unknown = dryRun(org, "no-such-agent", Map.of("tool", "calculator"));
    Http.Response otherOrg = dryRun(other, agent, Map.of("tool", "calculator"));
    Http.Response unknownTool = dryRun(org, agent, Map.of("name", "weather"));
    assertThat(http.post("/api/v1/flows", org.token(), flow).status()).isEqualTo(201);
    Http.Response notAnAgent = dryRun(org, (String) flow.get("slug"), Map.of("tool", "calculator"));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
    assertThat(otherOrg.status()).isEqualTo(404);
    assertThat(unknownTool.status()).isEqualTo(404);
    assertThat(notAnAgent.status()).isEqualTo(404);
  }

  @Test
  void deletedAgent_is410() {
    TestOrg org = newOrg();
    String agent = createAgent(org, List.of("calculator"));
    assertThat(http.delete("/api/v1/flows/" + agent, org.token()).status()).isEqualTo(204);

    Http.Response r = dryRun(org, agent, Map.of("tool", "calculator"));

    assertThat(r.status()).isEqualTo(410);
    assertThat(r.json().get("error").asText()).isEqualTo("agent_tombstoned");
  }
}
