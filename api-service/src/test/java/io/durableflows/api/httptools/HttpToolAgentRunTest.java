package io.durableflows.api.httptools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.OpenAiStubServer.ToolCallReply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An agent calling an HTTP tool with an org secret, end to end: model turn, ToolCall activity, endpoint. */
class HttpToolAgentRunTest extends RunApiTest {
  private static final String SECRET = "wk-agent-run-secret-31337";

  @Autowired
  JdbcClient jdbc;

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/weather", ex -> {
      authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] body = ("{\"query\":\"" + ex.getRequestURI().getRawQuery() + "\",\"temp\":18,\"echo\":\""
          + ex.getRequestHeaders().getFirst("Authorization") + "\"}").getBytes(StandardCharsets.UTF_8);
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

  private void createAgent(TestOrg org, String slug, String url) {
    Map<String, Object> doc = example("agent-tools");
    doc.put("slug", slug);
    Map<String, Object> agent = node(doc, "agent");
    agent.put("provider", "stub");
    agent.put("tools", List.of(Map.of("name", "weather", "kind", "http", "description", "Current weather for a city",
        "parameters", Map.of("type", "object", "required", List.of("city"),
            "properties", Map.of("city", Map.of("type", "string"))),
        "http", Map.of("url", url, "headers", Map.of("Authorization", "Bearer {{secrets.WEATHER_KEY}}"),
            "allowHosts", List.of("127.0.0.1")))));
    Http.Response r = http.post("/api/v1/flows", org.token(), doc);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static List<String> toolMessages(JsonNode messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> {
      if (m.path("role").asText().equals("tool")) out.add(m.path("content").asText());
    });
    return out;
  }

  @Test
  void agent_callsTheHttpTool_withTheOrgsSecret_whichNeverReachesTheModelOrTheRunsRecords() {
    TestOrg org = newOrg();
    http.put("/api/v1/secrets/WEATHER_KEY", org.token(), Map.of("value", SECRET));
    createAgent(org, "weather-agent", "http://127.0.0.1:" + server.getAddress().getPort()
        + "/weather?city={{args.city}}");
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_w", "weather", "{\"city\":\"Saint Malo\"}")),
        Reply.success("It is 18 degrees in Saint Malo."));

    Http.Response r = http.post(flowPath(org, "weather-agent") + "/run", org.token(),
        input("message", "Weather in Saint Malo?"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(authorizations).containsExactly("Bearer " + SECRET);
    List<String> results = toolMessages(stub.lastRequest().json().path("messages"));
    assertThat(results).singleElement().asString().contains("city=Saint%20Malo").contains("\"temp\":18")
        .contains("Bearer [secret]").doesNotContain(SECRET);
    String runId = jdbc.sql("select id from runs where org_id = ?").param(org.id()).query(String.class).single();
    String everything = jdbc.sql("""
            select coalesce((select string_agg(data::text, ' ') from run_events where run_id = :run), '')
              || coalesce((select string_agg(result::text || arguments::text, ' ') from call_journal where run_id = :run), '')
              || coalesce((select output::text from runs where id = :run), '')""")
        .param("run", runId).query(String.class).single();
    assertThat(everything).contains("temp").doesNotContain(SECRET);
  }

  @Test
  void agent_toolBlockedBySsrfGuard_isToldToTheModel_andTheRunCompletes() {
    TestOrg org = newOrg();
    http.put("/api/v1/secrets/WEATHER_KEY", org.token(), Map.of("value", SECRET));
    createAgent(org, "metadata-agent", "http://169.254.169.254/latest/meta-data/?c={{args.city}}");
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_m", "weather", "{\"city\":\"x\"}")),
        Reply.success("I cannot reach that service."));

    Http.Response r = http.post(flowPath(org, "metadata-agent") + "/run", org.token(), input("message", "Go"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(toolMessages(stub.lastRequest().json().path("messages"))).singleElement().asString()
        .contains("(ToolBlocked)").contains("cloud metadata").doesNotContain(SECRET);
  }
}
