package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InputSchemaTest {
  /** One variable of each type, plus an enum and a default. */
  private static final InputSchema SCHEMA = InputSchema.of(TestFlows.parse("""
      {
        "slug": "typed",
        "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [
            {"name": "s", "type": "string", "required": true, "description": "a string"},
            {"name": "n", "type": "number"},
            {"name": "i", "type": "integer"},
            {"name": "b", "type": "boolean"},
            {"name": "o", "type": "object"},
            {"name": "a", "type": "array"},
            {"name": "tone", "enum": ["plain", "friendly"], "default": "plain"},
            {"name": "level", "type": "integer", "enum": [1, 2, 3]}
          ]}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ],
        "edges": [{"id": "e1", "source": "input", "target": "output"}]
      }
      """));

  private static Map<String, Object> input(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "hello");
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static List<FieldError> errorsOf(Map<String, Object> input) {
    try {
      SCHEMA.validate(input);
      return List.of();
    } catch (InvalidFlowException e) {
      return e.errors();
    }
  }

  @Test
  void of_withVariablesWithoutType_defaultsToString() {
    assertThat(SCHEMA.variables()).filteredOn(v -> v.name().equals("tone"))
        .extracting(InputVariable::type).containsExactly("string");
  }

  @Test
  void validate_withRequiredVariableMissing_namesTheVariable() {
    assertThat(errorsOf(Map.of())).extracting(FieldError::node, FieldError::field, FieldError::message)
        .containsExactly(tuple(null, "input.s", "is required"));
  }

  @Test
  void validate_withNullInput_reportsRequiredVariables() {
    assertThatThrownBy(() -> SCHEMA.validate(null)).isInstanceOf(InvalidFlowException.class)
        .extracting(e -> ((InvalidFlowException) e).errors()).asInstanceOf(list(FieldError.class))
        .extracting(FieldError::field).containsExactly("input.s");
  }

  static Stream<Arguments> valuesOfWrongType() {
    return Stream.of(
        Arguments.of("s", 42),
        Arguments.of("n", "1.5"),
        Arguments.of("i", 1.5),
        Arguments.of("i", "3"),
        Arguments.of("b", "true"),
        Arguments.of("o", List.of(1)),
        Arguments.of("a", Map.of("k", 1)));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("valuesOfWrongType")
  void validate_withValueOfWrongType_namesTheVariable(String name, Object value) {
    assertThat(errorsOf(input(name, value))).extracting(FieldError::field).containsExactly("input." + name);
  }

  @Test
  void validate_withFractionForInteger_saysIntegerExpectedAndNumberGiven() {
    assertThat(errorsOf(input("i", 1.5))).extracting(FieldError::message)
        .containsExactly("must be of type integer but was number");
  }

  static Stream<Arguments> valuesOfRightType() {
    return Stream.of(
        Arguments.of("n", 3),
        Arguments.of("n", 1.5),
        Arguments.of("i", 3),
        Arguments.of("i", 3L),
        Arguments.of("i", 3.0),
        Arguments.of("b", false),
        Arguments.of("o", Map.of("k", 1)),
        Arguments.of("a", List.of(1, "two")));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("valuesOfRightType")
  void validate_withValueOfDeclaredType_keepsTheValue(String name, Object value) {
    assertThat(SCHEMA.validate(input(name, value))).containsEntry(name, value);
  }

  @Test
  void validate_withValueOutsideEnum_namesTheVariable() {
    assertThat(errorsOf(input("tone", "rude"))).extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("input.tone", "must be one of [plain, friendly]"));
  }

  @Test
  void validate_withIntegerEnumGivenAsWholeDouble_acceptsTheValue() {
    assertThat(SCHEMA.validate(input("level", 2.0))).containsEntry("level", 2.0);
  }

  @Test
  void validate_withVariableOmitted_appliesItsDefault() {
    assertThat(SCHEMA.validate(input())).containsEntry("tone", "plain");
  }

  @Test
  void validate_withVariableGiven_ignoresItsDefault() {
    assertThat(SCHEMA.validate(input("tone", "friendly"))).containsEntry("tone", "friendly");
  }

  @Test
  void validate_withOptionalVariableOmitted_leavesItOut() {
    assertThat(SCHEMA.validate(input())).containsOnlyKeys("s", "tone");
  }

  @Test
  void validate_withUnknownKey_namesTheKey() {
    assertThat(errorsOf(input("questoin", "hi"))).extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("input.questoin", "is not an input variable of this flow"));
  }

  @Test
  void validate_withSeveralProblems_reportsEveryOne() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("i", "x");
    bad.put("extra", 1);

    assertThat(errorsOf(bad)).extracting(FieldError::field).containsExactly("input.s", "input.i", "input.extra");
  }

  @Test
  void toJsonSchema_describesEveryVariable() {
    assertThat(SCHEMA.toJsonSchema())
        .containsEntry("$schema", "https://json-schema.org/draft/2020-12/schema")
        .containsEntry("type", "object")
        .containsEntry("required", List.of("s"))
        .containsEntry("additionalProperties", false);
  }

  @Test
  @SuppressWarnings("unchecked")
  void toJsonSchema_listsPropertiesWithTypeEnumDefaultAndDescription() {
    var properties = (Map<String, Object>) SCHEMA.toJsonSchema().get("properties");

    assertThat(properties).containsOnlyKeys("s", "n", "i", "b", "o", "a", "tone", "level");
    assertThat(properties.get("s")).isEqualTo(Map.of("type", "string", "description", "a string"));
    assertThat(properties.get("i")).isEqualTo(Map.of("type", "integer"));
    assertThat(properties.get("tone"))
        .isEqualTo(Map.of("type", "string", "enum", List.of("plain", "friendly"), "default", "plain"));
  }

  @Test
  void toJsonSchema_ofExample_isAValidatingSchemaForTheSameInput() throws Exception {
    var mapper = new ObjectMapper();
    var schemaJson = mapper.valueToTree(InputSchema.of(TestFlows.example("qa-raw")).toJsonSchema());
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson);

    assertThat(schema.validate(mapper.readTree("{\"question\": \"why?\", \"tone\": \"friendly\"}"))).isEmpty();
    assertThat(schema.validate(mapper.readTree("{\"tone\": \"rude\", \"x\": 1}"))).hasSize(3);
  }
}
