package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.Http;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route with a body that agents, tools, sub-agents, conversations, memory, secrets, skills, blocks,
 * completions, direct model calls, batches, evaluations and experiments added: a body that is not JSON is a
 * 400 {@code invalid_json}, and nothing changes (no release, no run, no experiment).
 */
class MalformedBodiesTest extends AgentApiTest {
  private static final String BROKEN = "{\"message\": \"hi\"";

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("PATCH", "/api/v1/agent/helper/config"),
        Arguments.of("POST", "/api/v1/agent/helper/chat"),
        Arguments.of("POST", "/api/v1/agent/helper/tools"),
        Arguments.of("PATCH", "/api/v1/agent/helper/tools/calculator"),
        Arguments.of("PUT", "/api/v1/agent/helper/tools/calculator/approval"),
        Arguments.of("POST", "/api/v1/agent/helper/tools/calculator/run"),
        Arguments.of("POST", "/api/v1/agent/helper/tools/generate"),
        Arguments.of("POST", "/api/v1/agent/helper/tools/persist"),
        Arguments.of("POST", "/api/v1/agent/helper/tools/dry-run"),
        Arguments.of("POST", "/api/v1/agent/helper/subagents"),
        Arguments.of("PATCH", "/api/v1/agent/helper/subagents/researcher"),
        Arguments.of("POST", "/api/v1/agent/helper/subagents/researcher/tools"),
        Arguments.of("POST", "/api/v1/agent/helper/subagents/researcher/run"),
        Arguments.of("POST", "/api/v1/agent/helper/capability/plan"),
        Arguments.of("POST", "/api/v1/agent/helper/capability/reflect"),
        Arguments.of("POST", "/api/v1/agent/helper/capability/retrieve"),
        Arguments.of("POST", "/api/v1/agent/helper/context/blocks/build"),
        Arguments.of("POST", "/api/v1/conversations"),
        Arguments.of("PUT", "/api/v1/conversations/conv_1"),
        Arguments.of("POST", "/api/v1/conversations/conv_1/messages"),
        Arguments.of("PUT", "/api/v1/agent/conversations/conv_1/title"),
        Arguments.of("POST", "/api/v1/agent/helper/conversations/conv_1/compress"),
        Arguments.of("PUT", "/api/v1/memory/blocks/persona"),
        Arguments.of("POST", "/api/v1/memory/recall"),
        Arguments.of("PUT", "/api/v1/secrets/API_KEY"),
        Arguments.of("PUT", "/api/v1/skills/triage"),
        Arguments.of("POST", "/api/v1/prompt-blocks"),
        Arguments.of("PATCH", "/api/v1/prompt-blocks/tone"),
        Arguments.of("POST", "/api/v1/prompt-blocks/tone/preview"),
        Arguments.of("POST", "/api/v1/completions/label"),
        Arguments.of("POST", "/api/v1/completions/extract"),
        Arguments.of("POST", "/api/v1/completions/run"),
        Arguments.of("POST", "/api/v1/llm/chat"),
        Arguments.of("POST", "/api/v1/llm/autocomplete"),
        Arguments.of("POST", "/api/v1/llm/recommend"),
        Arguments.of("POST", "/api/v1/batches"),
        Arguments.of("POST", "/api/v1/flows/helper/evaluators"),
        Arguments.of("PUT", "/api/v1/flows/helper/evaluators/evl_1"),
        Arguments.of("POST", "/api/v1/runs/run_1/evaluations"),
        Arguments.of("POST", "/api/v1/experiments"));
  }

  private Http.Response send(String method, String path, String token) {
    return switch (method) {
      case "PUT" -> http.put(path, token, BROKEN);
      case "PATCH" -> http.patch(path, token, BROKEN);
      default -> http.postRaw(path, token, "application/json", BROKEN);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void route_withMalformedJson_returns400AndChangesNothing(String method, String path) {
    TestOrg org = newOrg();
    createAgent(org, "helper", List.of("calculator"));
    int runsBefore = http.get("/api/v1/runs?limit=100", org.token()).json().path("data").size();

    Http.Response r = send(method, path, org.token());

    assertError(r, 400, "invalid_json");
    assertThat(r.json().path("message").asText()).isNotBlank();
    assertThat(releases(org, "helper")).as("no release published").isEqualTo(1);
    assertThat(http.get("/api/v1/runs?limit=100", org.token()).json().path("data").size()).as("no run started")
        .isEqualTo(runsBefore);
    assertThat(http.get("/api/v1/conversations", org.token()).json().path("data").size()).as("no conversation")
        .isZero();
    assertThat(http.get("/api/v1/secrets", org.token()).json().path("data").size()).as("no secret").isZero();
    assertThat(http.get("/api/v1/memory/blocks", org.token()).json().path("data").size()).as("no memory block")
        .isZero();
    assertThat(http.get("/api/v1/batches", org.token()).json().path("data").size()).as("no batch").isZero();
    assertThat(http.get("/api/v1/flows/helper/evaluators", org.token()).json().path("data").size())
        .as("no evaluator").isZero();
    assertThat(http.get("/api/v1/experiments", org.token()).json().path("data").size()).as("no experiment")
        .isZero();
  }
}
