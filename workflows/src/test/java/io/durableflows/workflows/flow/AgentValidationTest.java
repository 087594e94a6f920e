package io.durableflows.workflows.flow;

import static io.durableflows.workflows.flow.TestFlows.example;
import static io.durableflows.workflows.flow.TestFlows.withData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What FlowValidator says about agent nodes and tool definitions. */
class AgentValidationTest {
  private static final FlowDefinition AGENT = example("agent-tools");
  private static final Map<String, Object> WEATHER = Map.of("name", "weather", "kind", "http",
      "description", "The weather in a city", "parameters", Map.of("type", "object",
          "properties", Map.of("city", Map.of("type", "string"))),
      "http", Map.of("method", "GET", "url", "https://weather.example/v1?city={{args.city}}",
          "headers", Map.of("Authorization", "Bearer {{secrets.WEATHER_KEY}}")));

  private static List<FieldError> validate(String key, Object value) {
    return FlowValidator.validate(withData(AGENT, "agent", key, value));
  }

  @Test
  void validate_agentWithAnHttpToolUsingArgsAndSecrets_hasNoErrors() {
    assertThat(validate("tools", List.of("calculator", WEATHER))).isEmpty();
  }

  @Test
  void validate_agentWithoutPrompt_namesThePrompt() {
    assertThat(validate("prompt", null)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("agent", "data.prompt"));
  }

  @Test
  void validate_agentWithAnUnknownBuiltInTool_namesTheTool() {
    assertThat(validate("tools", List.of("calculator", "shell")))
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("data.tools[1]", "no built-in tool 'shell' (built-ins: calculator, current_time, json_path)"));
  }

  @Test
  void validate_agentWithTwoToolsOfOneName_namesTheSecond() {
    assertThat(validate("tools", List.of("calculator", Map.of("name", "calculator"))))
        .extracting(FieldError::field).containsExactly("data.tools[1].name");
  }

  @Test
  void validate_httpToolWithoutDescriptionOrHttp_namesBoth() {
    assertThat(validate("tools", List.of(Map.of("name", "weather", "kind", "http"))))
        .extracting(FieldError::message)
        .containsExactly("description: required, it is what the model reads to pick the tool",
            "http: required for an http tool ({\"method\", \"url\", \"headers\", \"body\", ...})");
  }

  @Test
  void validate_toolWithUnknownKind_namesTheKind() {
    assertThat(validate("tools", List.of(Map.of("name", "x", "kind", "shell"))))
        .extracting(FieldError::message).containsExactly("kind: one of builtin, http, flow");
  }

  @Test
  void validate_subagentWithoutFlow_namesTheField() {
    assertThat(validate("subagents", List.of(Map.of("name", "researcher", "description", "Finds facts"))))
        .extracting(FieldError::field).containsExactly("data.subagents[0].flow");
  }

  @Test
  void validate_subagentNamedLikeATool_namesTheClash() {
    assertThat(validate("subagents", List.of(Map.of("name", "calculator", "description", "d", "flow", "calc"))))
        .extracting(FieldError::field).containsExactly("data.subagents[0].name");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 201})
  void validate_maxStepsOutOfRange_namesMaxSteps(int steps) {
    assertThat(validate("maxSteps", steps)).extracting(FieldError::field).containsExactly("data.maxSteps");
  }

  @Test
  void validate_toolResultLimitTooSmall_namesIt() {
    assertThat(validate("toolResultLimit", 10)).extracting(FieldError::field).containsExactly("data.toolResultLimit");
  }

  @Test
  void validate_skillsNotNames_namesSkills() {
    assertThat(validate("skills", List.of(1))).extracting(FieldError::field).containsExactly("data.skills");
  }

  @Test
  void validate_toolNodeWithADefinition_hasNoErrors() {
    var flow = withData(withData(TestFlows.calculator(), "calc", "tool", null), "calc", "definition", WEATHER);

    assertThat(FlowValidator.validate(withData(flow, "calc", "arguments", Map.of("city", "Paris")))).isEmpty();
  }

  @Test
  void validate_toolNodeWhoseToolIsNotItsDefinitionsName_namesTheTool() {
    var flow = withData(TestFlows.calculator(), "calc", "definition", WEATHER);

    assertThat(FlowValidator.validate(flow)).extracting(FieldError::field).containsExactly("data.tool");
  }
}
