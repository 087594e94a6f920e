package io.durableflows.workflows.flow;

import static io.durableflows.workflows.flow.TestFlows.example;
import static io.durableflows.workflows.flow.TestFlows.withData;
import static io.durableflows.workflows.flow.TestFlows.withEdge;
import static io.durableflows.workflows.flow.TestFlows.withNode;
import static io.durableflows.workflows.flow.TestFlows.withNodeType;
import static io.durableflows.workflows.flow.TestFlows.withVariable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlowValidatorTest {
  /** input -> answer (llm) -> output (raw), with variables question and tone. */
  private static final FlowDefinition VALID = example("qa-raw");

  static Stream<Path> examples() {
    return TestFlows.examplePaths().stream();
  }

  private static List<FieldError> validate(FlowDefinition flow) {
    return FlowValidator.validate(flow);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void validate_withShippedExample_hasNoErrors(Path file) {
    assertThat(validate(TestFlows.read(file))).isEmpty();
  }

  @Test
  void validate_withChainedLlmAndTemplateNodes_hasNoErrors() {
    assertThat(validate(TestFlows.chained())).isEmpty();
  }

  @Test
  void validate_withoutSlug_namesTheSlugField() {
    var flow = new FlowDefinition(null, "n", "d", VALID.nodes(), VALID.edges());

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple(null, "slug"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Upper", "-leading-dash", "has space", ""})
  void validate_withMalformedSlug_namesTheSlugField(String slug) {
    var flow = new FlowDefinition(slug, "n", "d", VALID.nodes(), VALID.edges());

    assertThat(validate(flow)).extracting(FieldError::field).containsExactly("slug");
  }

  @Test
  void validate_withoutNodes_namesTheNodesField() {
    var flow = new FlowDefinition("empty", null, null, List.of(), List.of());

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple(null, "nodes"));
  }

  @Test
  void validate_withUnknownNodeType_namesTheNodeAndType() {
    var flow = withNodeType(VALID, "answer", "http");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "type"));
  }

  @Test
  void validate_withDuplicateNodeIds_namesTheNode() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("answer", "template", Map.of("template", "x"), null));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple("answer", "id"));
  }

  @Test
  void validate_withNonInputNodeCalledInput_namesTheNodeAndId() {
    var flow = withNodeType(withData(VALID, "input", "variables", null), "input", "template");
    flow = withData(flow, "input", "template", "hello");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).contains(tuple("input", "id"));
  }

  @Test
  void validate_withMalformedNodeId_namesTheNodeIndex() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("has space", "template", Map.of("template", "x"), null));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "nodes[3].id"));
  }

  @Test
  void validate_withEdgeToUnknownNode_namesTheEdgeTarget() {
    var flow = withEdge(VALID, "answer", "ghost");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "edges[2].target"));
  }

  @Test
  void validate_withEdgeFromUnknownNode_namesTheEdgeSource() {
    var flow = withEdge(VALID, "ghost", "answer");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "edges[2].source"));
  }

  @Test
  void validate_withCycle_namesTheEdges() {
    var flow = withEdge(VALID, "output", "answer");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple(null, "edges"));
  }

  @Test
  void validate_withSelfLoop_namesTheEdges() {
    var flow = withEdge(VALID, "answer", "answer");

    assertThat(validate(flow)).extracting(FieldError::field).containsExactly("edges");
  }

  @Test
  void validate_withoutOutputNode_namesTheNodesField() {
    var flow = VALID.withNodes(VALID.nodes().stream().filter(n -> !n.id().equals("output")).toList());
    flow = new FlowDefinition(flow.slug(), flow.name(), flow.description(), flow.nodes(), List.of(VALID.edges().get(0)));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple(null, "nodes"));
  }

  @Test
  void validate_withTwoOutputNodes_namesTheNodesField() {
    var flow = withEdge(
        withNode(VALID, new FlowDefinition.FlowNode("output2", "output", Map.of("shape", "raw"), null)),
        "answer", "output2");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field).containsExactly(tuple(null, "nodes"));
  }

  @Test
  void validate_withLlmWithoutPrompt_namesTheNodeAndPrompt() {
    var flow = withData(VALID, "answer", "prompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.prompt"));
  }

  @Test
  void validate_withBlankPrompt_namesTheNodeAndPrompt() {
    var flow = withData(VALID, "answer", "prompt", "  ");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.prompt"));
  }

  @Test
  void validate_withNonStringModel_namesTheNodeAndModel() {
    var flow = withData(VALID, "answer", "model", 4);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.model"));
  }

  static Stream<Object> temperaturesOutOfRange() {
    return Stream.of(-0.1, 2.01, 5, "0.5", true);
  }

  @ParameterizedTest
  @MethodSource("temperaturesOutOfRange")
  void validate_withTemperatureOutsideZeroToTwo_namesTheNodeAndTemperature(Object temperature) {
    var flow = withData(VALID, "answer", "temperature", temperature);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.temperature"));
  }

  static Stream<Object> temperaturesInRange() {
    return Stream.of(0, 0.0, 1, 2, 2.0);
  }

  @ParameterizedTest
  @MethodSource("temperaturesInRange")
  void validate_withTemperatureAtOrInsideBounds_hasNoErrors(Object temperature) {
    assertThat(validate(withData(VALID, "answer", "temperature", temperature))).isEmpty();
  }

  static Stream<Object> maxTokensNotPositiveIntegers() {
    return Stream.of(0, -5, 1.5, "512", 1_000_001);
  }

  @ParameterizedTest
  @MethodSource("maxTokensNotPositiveIntegers")
  void validate_withMaxTokensNotAPositiveInteger_namesTheNodeAndMaxTokens(Object maxTokens) {
    var flow = withData(VALID, "answer", "maxTokens", maxTokens);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.maxTokens"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1st", "has-dash", "has space", ""})
  void validate_withBadVariableName_namesTheNodeAndVariableName(String name) {
    var flow = withVariable(VALID, "{\"name\": \"" + name + "\"}");
    flow = withData(flow, "answer", "systemPrompt", null);
    flow = withData(flow, "answer", "prompt", "hi");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].name"));
  }

  @Test
  void validate_withVariableDeclaredTwice_namesTheSecondDeclaration() {
    var flow = withData(VALID, "input", "variables",
        List.of(Map.of("name", "question"), Map.of("name", "tone"), Map.of("name", "question")));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[2].name"));
  }

  @Test
  void validate_withUnknownVariableType_namesTheNodeAndVariableType() {
    var flow = withVariable(VALID, "{\"name\": \"question\", \"type\": \"text\"}");
    flow = withData(flow, "answer", "systemPrompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].type"));
  }

  @Test
  void validate_withNonBooleanRequired_namesTheNodeAndVariableRequired() {
    var flow = withVariable(VALID, "{\"name\": \"question\", \"required\": \"yes\"}");
    flow = withData(flow, "answer", "systemPrompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].required"));
  }

  static Stream<String> defaultsOfWrongType() {
    return Stream.of(
        "{\"name\": \"question\", \"default\": 3}",
        "{\"name\": \"question\", \"type\": \"integer\", \"default\": 2.5}",
        "{\"name\": \"question\", \"type\": \"number\", \"default\": \"2\"}",
        "{\"name\": \"question\", \"type\": \"boolean\", \"default\": \"true\"}",
        "{\"name\": \"question\", \"type\": \"object\", \"default\": []}",
        "{\"name\": \"question\", \"type\": \"array\", \"default\": {}}");
  }

  @ParameterizedTest
  @MethodSource("defaultsOfWrongType")
  void validate_withDefaultOfWrongType_namesTheNodeAndVariableDefault(String variable) {
    var flow = withData(withVariable(VALID, variable), "answer", "systemPrompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].default"));
  }

  @Test
  void validate_withEnumValueOfWrongType_namesTheNodeAndVariableEnum() {
    var flow = withVariable(VALID, "{\"name\": \"question\", \"type\": \"integer\", \"enum\": [1, \"two\"]}");
    flow = withData(flow, "answer", "systemPrompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].enum"));
  }

  @Test
  void validate_withDefaultOutsideEnum_namesTheNodeAndVariableDefault() {
    var flow = withVariable(VALID, "{\"name\": \"tone\", \"enum\": [\"plain\", \"friendly\"], \"default\": \"rude\"}");
    flow = withData(flow, "answer", "prompt", "hi");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].default"));
  }

  @Test
  void validate_withNumericDefaultEqualToAnEnumValue_hasNoErrors() {
    var flow = withVariable(VALID, "{\"name\": \"tone\", \"type\": \"number\", \"enum\": [1, 2.5], \"default\": 1.0}");

    assertThat(validate(withData(flow, "answer", "prompt", "hi"))).isEmpty();
  }

  @Test
  void validate_withEmptyEnum_namesTheNodeAndVariableEnum() {
    var flow = withVariable(VALID, "{\"name\": \"question\", \"enum\": []}");
    flow = withData(flow, "answer", "systemPrompt", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables[0].enum"));
  }

  @Test
  void validate_withVariablesNotAnArray_namesTheNodeAndVariables() {
    var flow = withData(VALID, "input", "variables", Map.of("name", "question"));
    flow = withData(withData(flow, "answer", "systemPrompt", null), "answer", "prompt", "hi");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("input", "data.variables"));
  }

  @Test
  void validate_withTemplateAndJson_namesTheNodeAndTemplate() {
    var flow = withNode(VALID,
        new FlowDefinition.FlowNode("tpl", "template", Map.of("template", "a", "json", Map.of("a", 1)), null));
    flow = withEdge(flow, "tpl", "output");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("tpl", "data.template"));
  }

  @Test
  void validate_withNeitherTemplateNorJson_namesTheNodeAndTemplate() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("tpl", "template", Map.of(), null));
    flow = withEdge(flow, "tpl", "output");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("tpl", "data.template"));
  }

  @Test
  void validate_withNonStringTextTemplate_namesTheNodeAndTemplate() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("tpl", "template", Map.of("template", 42), null));
    flow = withEdge(flow, "tpl", "output");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("tpl", "data.template"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "openai", ""})
  void validate_withUnknownOutputShape_namesTheNodeAndShape(String shape) {
    var flow = withData(VALID, "output", "shape", shape);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.shape"));
  }

  @Test
  void validate_withOutputWithoutShape_namesTheNodeAndShape() {
    var flow = withData(VALID, "output", "shape", null);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.shape"));
  }

  @Test
  void validate_withJsonTemplateShapeWithoutTemplate_namesTheNodeAndTemplate() {
    var flow = withData(VALID, "output", "shape", "json_template");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.template"));
  }

  @Test
  void validate_withReferenceToUndeclaredInputVariable_namesTheNodeAndField() {
    var flow = withData(VALID, "answer", "prompt", "{{input.questoin}}");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field, FieldError::message)
        .containsExactly(tuple("answer", "data.prompt",
            "refers to {{input.questoin}} but no input variable has that name"));
  }

  @Test
  void validate_withReferenceToWholeInput_namesTheNodeAndField() {
    var flow = withData(VALID, "answer", "systemPrompt", "{{input}}");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.systemPrompt"));
  }

  @Test
  void validate_withReferenceToDownstreamNode_namesTheNodeAndField() {
    var flow = withData(VALID, "answer", "prompt", "{{input.question}} {{output}}");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field, FieldError::message)
        .containsExactly(tuple("answer", "data.prompt",
            "refers to {{output}} but node 'output' does not run before this node"));
  }

  @Test
  void validate_withReferenceToUnconnectedNode_namesTheNodeAndField() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("tpl", "template", Map.of("template", "hi"), null));
    flow = withEdge(flow, "tpl", "output");
    flow = withData(flow, "answer", "prompt", "{{tpl.text}}");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.prompt"));
  }

  @Test
  void validate_withReferenceInsideJsonTemplate_namesTheOutputTemplate() {
    var flow = withData(withData(VALID, "output", "shape", "json_template"), "output", "template",
        Map.of("answer", List.of("{{answer.text}}", "{{nowhere.text}}")));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.template"));
  }

  @Test
  void validate_withOutputSourceNotUpstream_namesTheNodeAndSource() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("tpl", "template", Map.of("template", "hi"), null));
    flow = withData(flow, "output", "source", "tpl");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .contains(tuple("output", "data.source"));
  }

  @Test
  void validate_withUnknownDataProperty_namesTheNodeAndProperty() {
    var flow = withData(VALID, "answer", "topP", 0.9);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("answer", "data.topP"));
  }

  @Test
  void validate_withPropertyOfAnotherKind_namesTheNodeAndProperty() {
    var flow = withData(VALID, "output", "prompt", "hi");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.prompt"));
  }

  @Test
  void validate_withNodeThatDoesNotLeadToTheOutput_namesTheNode() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("dangling", "llm", Map.of("prompt", "hi"), null));
    flow = withEdge(flow, "input", "dangling");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("dangling", "edges"));
  }

  @Test
  void validate_withEdgeLeavingTheOutput_namesTheOutput() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("after", "template", Map.of("template", "x"), null));
    flow = withEdge(flow, "output", "after");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .contains(tuple("output", "edges"), tuple("after", "edges"));
  }

  @Test
  void validate_withReferenceToASecondInputNodeById_asksForInputDotVariable() {
    var flow = withNode(VALID, new FlowDefinition.FlowNode("extra", "input",
        Map.of("variables", List.of(Map.of("name", "x", "type", "string"))), null));
    flow = withData(withEdge(flow, "extra", "answer"), "answer", "prompt", "{{extra.x}}");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field, FieldError::message)
        .containsExactly(tuple("answer", "data.prompt",
            "refers to input node 'extra': write {{input.<variable>}} instead"));
  }

  @Test
  void validate_withOutputSourceAnInputNode_namesTheSource() {
    var flow = withEdge(withData(VALID, "output", "source", "input"), "input", "output");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("output", "data.source"));
  }
}
