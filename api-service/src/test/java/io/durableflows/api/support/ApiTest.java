package io.durableflows.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.orgs.OrgService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API tests: the real application over real HTTP, real PostgreSQL, the workers in-process on a
 * Temporal test server, and an OpenAI stub registered as provider {@code stub}. Every test gets its own org.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "df.workers.embedded=true",
    "df.admin-token=" + ApiTest.ADMIN_TOKEN,
    "df.bootstrap.org=bootorg",
    "df.bootstrap.token=" + ApiTest.BOOTSTRAP_TOKEN,
    "df.runs.sync-timeout=8s",
    "df.streams.heartbeat-interval=1s",
    "df.temporal.ui-url=http://temporal-ui.test:8080",
    "df.llm.providers.stub.kind=openai",
    "df.llm.providers.stub.api-key=sk-test",
    "df.llm.providers.stub.default-model=gpt-4o-mini",
    "df.llm.providers.stub.timeout=30s"
})
public abstract class ApiTest {
  public static final String ADMIN_TOKEN = "test-admin-token";
  public static final String BOOTSTRAP_TOKEN = "df_bootstrap_test_token_0123456789";
  private static int orgCounter;

  @LocalServerPort
  protected int port;

  @Autowired
  protected OrgService orgs;

  @Autowired
  protected TokenService tokens;

  protected Http http;
  protected OpenAiStubServer stub = TestStack.openAiStub();

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestStack::databaseUrl);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("spring.temporal.connection.target", () -> "127.0.0.1:" + TestStack.temporalPort());
    registry.add("df.llm.providers.stub.base-url", () -> TestStack.openAiStub().baseUrl());
  }

  @BeforeEach
  void setUpHttp() {
    http = new Http(port);
    stub.reset();
  }

  /** A new organization of its own and a token with every scope. */
  /** An error answer as every route gives it: the status, a JSON body with this {@code error} and a message. */
  protected static void assertError(Http.Response r, int status, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
    assertThat(r.json().path("error").asText()).as(r.body()).isEqualTo(error);
    assertThat(r.json().path("message").asText()).as(r.body()).isNotBlank();
  }

  protected TestOrg newOrg() {
    return newOrg(null);
  }

  protected TestOrg newOrg(List<String> scopes) {
    String code;
    synchronized (ApiTest.class) {
      code = "t" + System.nanoTime() % 1_000_000_000L + "-" + (++orgCounter);
    }
    var org = orgs.create(code, "Test " + code);
    var token = tokens.mint(org.id(), "test", scopes);
    return new TestOrg(org.id(), code, token.token(), token.id());
  }

  public record TestOrg(String id, String code, String token, String tokenId) {}

  protected static Map<String, Object> example(String slug) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = Http.JSON.readValue(
          Files.readString(Path.of("..", "examples", "flows", slug + ".json")), Map.class);
      return doc;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates one of examples/flows in the org and returns the API's answer. */
  protected JsonNode createExample(TestOrg org, String slug) {
    Http.Response r = http.post("/api/v1/flows", org.token(), example(slug));
    if (r.status() != 201) throw new AssertionError("creating " + slug + ": " + r);
    return r.json();
  }

  protected static Map<String, Object> input(Object... keyValues) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return Map.of("input", m);
  }

  @SuppressWarnings("unchecked")
  /** The (mutable) data of node {@code id} in a flow document. */
  protected static Map<String, Object> node(Map<String, Object> doc, String id) {
    List<Object> nodes = new java.util.ArrayList<>((List<Object>) doc.get("nodes"));
    for (int i = 0; i < nodes.size(); i++) {
      Map<String, Object> n = new java.util.LinkedHashMap<>((Map<String, Object>) nodes.get(i));
      if (id.equals(n.get("id"))) {
        Map<String, Object> data = new java.util.LinkedHashMap<>((Map<String, Object>) n.get("data"));
        n.put("data", data);
        nodes.set(i, n);
        doc.put("nodes", nodes);
        return data;
      }
    }
    throw new IllegalArgumentException(id);
  }
}
