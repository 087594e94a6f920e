package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverridesTest {
  /** input -> answer (llm, temperature 0.2, maxTokens 512) -> output (openai_chat_completion). */
  private static final FlowDefinition FLOW = TestFlows.example("qa-openai");

  private static List<FieldError> errorsOf(Map<String, Object> overrides) {
    return catchThrowableOfType(InvalidFlowException.class, () -> Overrides.apply(FLOW, overrides)).errors();
  }

  @Test
  void apply_withValidOverride_setsTheNodeProperty() {
    var flow = Overrides.apply(FLOW, Map.of("node/answer.temperature", 1.1));

    assertThat(flow.node("answer").data()).containsEntry("temperature", 1.1).containsEntry("maxTokens", 512);
  }

  @Test
  void apply_withOverridesOfSeveralNodes_setsEachProperty() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("node/answer.model", "gpt-4o");
    overrides.put("node/answer.prompt", "Briefly: {{input.question}}");
    overrides.put("node/output.shape", "raw");

    var flow = Overrides.apply(FLOW, overrides);

    assertThat(flow.node("answer").data())
        .containsEntry("model", "gpt-4o").containsEntry("prompt", "Briefly: {{input.question}}");
    assertThat(flow.node("output").data()).containsEntry("shape", "raw");
  }

  @Test
  void apply_withOverride_leavesTheOriginalFlowUnchanged() {
    Overrides.apply(FLOW, Map.of("node/answer.temperature", 1.1));

    assertThat(FLOW.node("answer").data()).containsEntry("temperature", 0.2);
  }

  @Test
  void apply_withNoOverrides_returnsTheSameFlow() {
    assertThat(Overrides.apply(FLOW, Map.of())).isSameAs(FLOW);
    assertThat(Overrides.apply(FLOW, null)).isSameAs(FLOW);
  }

  @Test
  void apply_withMalformedKey_namesTheKey() {
    assertThat(errorsOf(Map.of("answer.temperature", 1))).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "options.override.answer.temperature"));
  }

  @Test
  void apply_withUnknownNode_namesTheKey() {
    assertThat(errorsOf(Map.of("node/ghost.temperature", 1))).extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("options.override.node/ghost.temperature", "no node 'ghost' in this flow"));
  }

  @Test
  void apply_withPropertyTheNodeKindLacks_namesTheKey() {
    assertThat(errorsOf(Map.of("node/answer.topP", 0.9))).extracting(FieldError::field)
        .containsExactly("options.override.node/answer.topP");
  }

  @Test
  void apply_withInputVariables_isRejected() {
    assertThat(errorsOf(Map.of("node/input.variables", List.of()))).extracting(FieldError::field)
        .containsExactly("options.override.node/input.variables");
  }

  @Test
  void apply_withTemperatureOutOfRange_namesTheOverriddenProperty() {
    assertThat(errorsOf(Map.of("node/answer.temperature", 5))).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "options.override.node/answer.temperature"));
  }

  @Test
  void apply_withPromptReferencingUnknownVariable_namesTheOverriddenProperty() {
    assertThat(errorsOf(Map.of("node/answer.prompt", "{{input.nope}}"))).extracting(FieldError::field)
        .containsExactly("options.override.node/answer.prompt");
  }

  @Test
  void apply_withUnknownShape_namesTheOverriddenProperty() {
    assertThat(errorsOf(Map.of("node/output.shape", "xml"))).extracting(FieldError::field)
        .containsExactly("options.override.node/output.shape");
  }

  @Test
  void apply_withInvalidOverride_throwsInvalidOverride() {
    assertThatThrownBy(() -> Overrides.apply(FLOW, Map.of("node/answer.maxTokens", 0)))
        .isInstanceOf(InvalidFlowException.class).hasMessage("override makes the flow invalid");
  }
}
