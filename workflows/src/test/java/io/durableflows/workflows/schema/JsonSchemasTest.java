package io.durableflows.workflows.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
  private static final Map<String, Object> AMOUNT = Map.of(
      "type", "object",
      "required", List.of("amount"),
      "properties", Map.of("amount", Map.of("type", "number", "minimum", 0), "note", Map.of("type", "string")),
      "additionalProperties", false);

  @Test
  void problems_ofAValidSchema_areNone() {
    assertThat(JsonSchemas.problems(AMOUNT)).isEmpty();
  }

  @Test
  void problems_ofANonObject_sayItMustBeAnObject() {
    assertThat(JsonSchemas.problems(List.of(1))).containsExactly("must be a JSON Schema object");
  }

  @Test
  void problems_ofAWrongKeywordType_comeFromTheMetaSchema() {
    assertThat(JsonSchemas.problems(Map.of("type", 12))).isNotEmpty();
  }

  @Test
  void problems_ofARemoteReference_refuseIt() {
    assertThat(JsonSchemas.problems(Map.of("$ref", "https://example.com/schema.json")))
        .singleElement().asString().contains("$ref may only point inside the schema");
  }

  @Test
  void problems_ofAnId_refuseIt() {
    assertThat(JsonSchemas.problems(Map.of("$id", "https://example.com/s", "type", "string")))
        .singleElement().asString().contains("$id is not supported");
  }

  @Test
  void problems_ofAnotherDialect_refuseIt() {
    assertThat(JsonSchemas.problems(Map.of("$schema", "http://json-schema.org/draft-04/schema#")))
        .singleElement().asString().contains("draft 2020-12");
  }

  @Test
  void problems_ofALocalReference_areNone() {
    assertThat(JsonSchemas.problems(Map.of("$defs", Map.of("n", Map.of("type", "number")), "$ref", "#/$defs/n")))
        .isEmpty();
  }

  @Test
  void violations_ofAMatchingValue_areNone() {
    assertThat(JsonSchemas.violations(AMOUNT, Map.of("amount", 12.5, "note", "ok"))).isEmpty();
  }

  @Test
  void violations_ofABadValue_nameEachProblem() {
    assertThat(JsonSchemas.violations(AMOUNT, Map.of("amount", -1, "extra", true))).hasSize(2);
  }

  @Test
  void violations_ofAMissingRequiredProperty_nameIt() {
    assertThat(JsonSchemas.violations(AMOUNT, Map.of())).singleElement().asString().contains("amount");
  }
}
