package io.durableflows.api.completions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /api/v1/completions/{operation}} over real HTTP, the Completions workflow and the offline model. */
class CompletionRoutesTest extends ApiTest {
  private static final Map<String, Object> SCHEMA = Map.of("type", "object", "required", List.of("name"),
      "properties", Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer")));

  private static Map<String, Object> body(List<?> items, Object... options) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    for (int i = 0; i < options.length; i += 2) body.put((String) options[i], options[i + 1]);
    return body;
  }

  static Stream<Arguments> operations() {
    return Stream.of(
        Arguments.of("run", body(List.of(Map.of("city", "Paris")), "prompt", "Describe {{item.city}}")),
        Arguments.of("label", body(List.of("late parcel"), "categories", List.of("billing", "parcel delivery"))),
        Arguments.of("extract", body(List.of("name: Ada, age: 36"), "schema", SCHEMA)),
        Arguments.of("summarize", body(List.of("One. Two three. Four five six."), "max_words", 3)),
        Arguments.of("enrich", body(List.of(Map.of("text", "I love it")), "fields", Map.of("sentiment", "tone"))),
        Arguments.of("chat", body(List.of("Hello"))),
        Arguments.of("recommend", body(List.of("hiking trip"), "count", 2)),
        Arguments.of("autocomplete", body(List.of("Please reset my pas"), "count", 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void operation_withOfflineModel_answersOneOutputPerItem(String operation, Map<String, Object> body) {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/completions/" + operation, org.token(), body);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("operation").asText()).isEqualTo(operation);
    JsonNode result = r.json().path("results").get(0);
    assertThat(result.path("index").asInt()).isZero();
    assertThat(result.has("output")).as(r.body()).isTrue();
    assertThat(result.has("error")).as(r.body()).isFalse();
    assertThat(r.json().path("usage").path("total_tokens").asLong()).isPositive();
  }

  @Test
  void label_returnsResultsInTheItemsOrder() {
    TestOrg org = newOrg();
    List<String> items = List.of("my invoice is wrong", "the parcel is late", "refund please", "invoice copy");

    JsonNode out = http.post("/api/v1/completions/label", org.token(),
        body(items, "categories", List.of("invoice", "parcel", "refund"))).json();

    assertThat(out.path("results").findValuesAsText("label"))
        .containsExactly("invoice", "parcel", "refund", "invoice");
    assertThat(out.path("results").findValuesAsText("index")).containsExactly("0", "1", "2", "3");
  }

  @Test
  void extract_withAnItemLackingARequiredValue_makesOnlyThatItemAnError() {
    TestOrg org = newOrg();

    JsonNode out = http.post("/api/v1/completions/extract", org.token(),
        body(List.of("name: Ada", "nothing useful", "name: Grace, age: 45"), "schema", SCHEMA)).json();

    JsonNode results = out.path("results");
    assertThat(results.get(0).path("output").path("name").asText()).isEqualTo("Ada");
    assertThat(results.get(1).path("error").asText()).isEqualTo("schema_mismatch");
    assertThat(results.get(1).path("message").asText()).contains("name");
    assertThat(results.get(2).path("output").path("age").asInt()).isEqualTo(45);
  }

  @Test
  void moreThan50Items_returns400PointingToBatches() {
    TestOrg org = newOrg();
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 51; i++) items.add("item " + i);

    Http.Response r = http.post("/api/v1/completions/summarize", org.token(), body(items));

    assertError(r, 400, "too_many_items");
    assertThat(r.json().path("message").asText()).contains("POST /api/v1/batches");
  }

  @Test
  void label_withoutCategories_returns400WithDetails() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/completions/label", org.token(), body(List.of("x"), "multi", "yes"));

    assertError(r, 400, "invalid_options");
    assertThat(r.json().path("details").findValuesAsText("field")).containsExactlyInAnyOrder("categories", "multi");
  }

  @Test
  void extract_withAnInvalidSchema_returns400() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/completions/extract", org.token(),
        body(List.of("x"), "schema", Map.of("type", "nonsense")));

    assertError(r, 400, "invalid_options");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("schema");
  }

  @Test
  void unknownOption_returns400NamingIt() {
    TestOrg org = newOrg();

    Http.Response r = http.post("/api/v1/completions/label", org.token(),
        body(List.of("x"), "categories", List.of("a"), "categorys", List.of("b")));

    assertError(r, 400, "invalid_options");
    assertThat(r.json().path("details").get(0).path("field").asText()).isEqualTo("categorys");
  }

  @Test
  void missingItems_returns400() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/completions/chat", org.token(), Map.of("items", List.of())), 400,
        "invalid_request");
    assertError(http.post("/api/v1/completions/chat", org.token(), Map.of("items", "Hello")), 400,
        "invalid_request");
  }

  @Test
  void unknownOperation_returns404() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/completions/translate", org.token(), body(List.of("x"))), 404, "not_found");
  }

  @Test
  void tokenWithoutRunsWrite_returns403() {
    TestOrg org = newOrg(List.of("flows:read", "runs:read"));

    assertError(http.post("/api/v1/completions/chat", org.token(), body(List.of("Hello"))), 403,
        "insufficient_scope");
  }

  @Test
  void withoutToken_returns401() {
    Http.Response r = http.post("/api/v1/completions/chat", null, body(List.of("Hello")));

    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void providerRejection_isThatItemsError() {
    TestOrg org = newOrg();
    stub.enqueue(Reply.error(400));

    JsonNode out = http.post("/api/v1/completions/summarize", org.token(),
        body(List.of("Some text."), "provider", "stub")).json();

    assertThat(out.path("results").get(0).path("error").asText()).isEqualTo("provider_rejected");
    assertThat(out.path("results").get(0).path("message").asText()).contains("400");
  }

  @Test
  void rateLimitedProvider_isRetriedUntilItAnswers() {
    TestOrg org = newOrg();
    stub.enqueue(Reply.rateLimited(1), Reply.success("{\"label\": \"billing\"}", 20, 4));

    JsonNode out = http.post("/api/v1/completions/label", org.token(),
        body(List.of("charged twice"), "categories", List.of("billing", "other"), "provider", "stub",
            "model", "gpt-4o")).json();

    assertThat(out.path("results").get(0).path("output").path("label").asText()).isEqualTo("billing");
    assertThat(out.path("usage").path("prompt_tokens").asInt()).isEqualTo(20);
    assertThat(stub.requests()).hasSize(2);
    assertThat(stub.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o");
  }
}
