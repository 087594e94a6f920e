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

  private static FlowDefinition withMemory(String data) {
    return TestFlows.parse("""
        {"slug": "chat", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string"}]}},
          {"id": "memory", "type": "memory", "data": %s},
          {"id": "reply", "type": "llm", "data": {"prompt": "{{input.message}} ({{memory.count}} earlier)"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}],
         "edges": [{"source": "memory", "target": "reply"}, {"source": "reply", "target": "output"}]}"""
        .formatted(data));
  }

  @Test
  void validate_withMemoryNode_hasNoErrors() {
    assertThat(validate(withMemory("{\"window\": 10, \"tokenBudget\": 2000, \"compact\": true, \"label\": \"m\"}")))
        .isEmpty();
    assertThat(validate(withMemory("{}"))).isEmpty();
  }

  @Test
  void validate_withBadMemoryData_namesEachField() {
    assertThat(validate(withMemory(
        "{\"window\": 0, \"tokenBudget\": -5, \"compact\": \"yes\", \"provider\": 3, \"keep\": 1}")))
        .extracting(FieldError::node, FieldError::field)
        .containsExactlyInAnyOrder(tuple("memory", "data.window"), tuple("memory", "data.tokenBudget"),
            tuple("memory", "data.compact"), tuple("memory", "data.provider"), tuple("memory", "data.keep"));
  }

  @Test
  void validate_withMemoryNodeLeadingNowhere_saysItDoesNotLeadToTheOutput() {
    var flow = TestFlows.parse("""
        {"slug": "chat", "nodes": [
          {"id": "memory", "type": "memory", "data": {}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}], "edges": []}""");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .contains(tuple("memory", "edges"));
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

  // ------------------------------------------------------------------------------------------ approval nodes

  /** input -> review (approval: message, context, 24h, deny) -> answer (llm, approved branch) -> output. */
  private static final FlowDefinition APPROVAL = example("approval-demo");
  /** input -> depth (question: choice of three, 1h, timeoutAnswer "a short paragraph") -> explain (llm) -> output. */
  private static final FlowDefinition QUESTION = example("question-demo");
  /** input -> calc (tool calculator, approval always) -> output. */
  private static final FlowDefinition TOOL = TestFlows.calculator();

  @ParameterizedTest
  @ValueSource(strings = {"approval-demo", "question-demo"})
  void validate_withHumanInTheLoopExample_hasNoErrors(String name) {
    assertThat(validate(example(name))).isEmpty();
  }

  @Test
  void validate_withDeniedBranchToATemplate_hasNoErrors() {
    assertThat(validate(TestFlows.deniedBranch())).isEmpty();
  }

  @Test
  void validate_withToolNodeFlows_haveNoErrors() {
    assertThat(validate(TOOL)).isEmpty();
    assertThat(validate(TestFlows.plannedCalculation())).isEmpty();
  }

  @Test
  void validate_withJsonQuestionFlow_hasNoErrors() {
    assertThat(validate(TestFlows.jsonQuestion())).isEmpty();
  }

  @Test
  void validate_withApprovalWithoutMessage_namesTheNodeAndMessage() {
    assertThat(validate(withData(APPROVAL, "review", "message", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.message"));
  }

  @Test
  void validate_withApprovalWithBlankMessage_namesTheNodeAndMessage() {
    assertThat(validate(withData(APPROVAL, "review", "message", " ")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.message"));
  }

  static Stream<Object> badTimeouts() {
    return Stream.of("soon", "0s", "0", 0, -60, 1.5, "366d", "PT-1H", true);
  }

  @ParameterizedTest
  @MethodSource("badTimeouts")
  void validate_withApprovalWithBadTimeout_namesTheNodeAndTimeout(Object timeout) {
    assertThat(validate(withData(APPROVAL, "review", "timeout", timeout)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.timeout"));
  }

  static Stream<Object> goodTimeouts() {
    return Stream.of("30m", "24h", "7d", "365d", "PT2H", 3600, "90");
  }

  @ParameterizedTest
  @MethodSource("goodTimeouts")
  void validate_withApprovalWithGoodTimeout_hasNoErrors(Object timeout) {
    assertThat(validate(withData(APPROVAL, "review", "timeout", timeout))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"approved", "denied", "Approve", "maybe"})
  void validate_withApprovalWithBadTimeoutDecision_namesTheNodeAndTimeoutDecision(String decision) {
    assertThat(validate(withData(APPROVAL, "review", "timeoutDecision", decision)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.timeoutDecision"));
  }

  @Test
  void validate_withApprovalTimeoutDecisionApprove_hasNoErrors() {
    assertThat(validate(withData(APPROVAL, "review", "timeoutDecision", "approve"))).isEmpty();
  }

  @Test
  void validate_withApprovalMessageReferringToAnUnknownVariable_namesTheMessage() {
    assertThat(validate(withData(APPROVAL, "review", "message", "Answer {{input.topic}}?")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.message"));
  }

  @Test
  void validate_withApprovalContextReferringToADownstreamNode_namesTheContext() {
    assertThat(validate(withData(APPROVAL, "review", "context", Map.of("draft", "{{answer.text}}"))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.context"));
  }

  @Test
  void validate_withQuestionProperty_onAnApproval_namesTheProperty() {
    assertThat(validate(withData(APPROVAL, "review", "choices", List.of("yes", "no"))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("review", "data.choices"));
  }

  // ------------------------------------------------------------------------------------------ question nodes

  @Test
  void validate_withQuestionWithoutQuestion_namesTheNodeAndQuestion() {
    assertThat(validate(withData(QUESTION, "depth", "question", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.question"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"number", "CHOICE", ""})
  void validate_withUnknownAnswerType_namesTheNodeAndAnswerType(String answerType) {
    assertThat(validate(withData(QUESTION, "depth", "answerType", answerType)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.answerType"));
  }

  @Test
  void validate_withChoiceQuestionWithoutChoices_namesTheNodeAndChoices() {
    assertThat(validate(withData(QUESTION, "depth", "choices", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.choices"));
  }

  static Stream<Object> badChoices() {
    List<String> tooMany = java.util.stream.IntStream.rangeClosed(1, 51).mapToObj(i -> "c" + i).toList();
    return Stream.of(
        List.of("one sentence", "step by step", "one sentence"),
        List.of("only one"),
        List.of(),
        tooMany,
        List.of("one sentence", " "),
        List.of("one sentence", 2),
        "one sentence, step by step");
  }

  @ParameterizedTest
  @MethodSource("badChoices")
  void validate_withBadChoices_namesTheNodeAndChoices(Object choices) {
    assertThat(validate(withData(withData(QUESTION, "depth", "choices", choices), "depth", "timeoutAnswer", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.choices"));
  }

  @Test
  void validate_withFiftyChoices_hasNoErrors() {
    List<String> fifty = java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> "c" + i).toList();

    assertThat(validate(withData(withData(QUESTION, "depth", "choices", fifty), "depth", "timeoutAnswer", "c50")))
        .isEmpty();
  }

  @Test
  void validate_withChoicesOnATextQuestion_namesTheNodeAndChoices() {
    assertThat(validate(withData(QUESTION, "depth", "answerType", "text")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.choices"));
  }

  @Test
  void validate_withSchemaOnAChoiceQuestion_namesTheNodeAndSchema() {
    assertThat(validate(withData(QUESTION, "depth", "schema", Map.of("type", "string"))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.schema"));
  }

  @Test
  void validate_withJsonQuestionWithoutSchema_namesTheNodeAndSchema() {
    assertThat(validate(withData(TestFlows.jsonQuestion(), "plan", "schema", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("plan", "data.schema"));
  }

  @Test
  void validate_withJsonQuestionWithInvalidSchema_namesTheNodeAndSchema() {
    assertThat(validate(withData(TestFlows.jsonQuestion(), "plan", "schema", Map.of("type", 12))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("plan", "data.schema"));
  }

  @Test
  void validate_withJsonQuestionSchemaThatIsNotAnObject_namesTheNodeAndSchema() {
    assertThat(validate(withData(TestFlows.jsonQuestion(), "plan", "schema", true)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("plan", "data.schema"));
  }

  @Test
  void validate_withJsonQuestionSchemaWithRemoteRef_saysRefsMustStayInside() {
    var flow = withData(TestFlows.jsonQuestion(), "plan", "schema", Map.of("$ref", "https://example.com/plan.json"));

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field, FieldError::message)
        .singleElement().satisfies(e -> {
          assertThat(e.toList()).startsWith("plan", "data.schema");
          assertThat((String) e.toList().get(2)).contains("$ref may only point inside the schema");
        });
  }

  @Test
  void validate_withJsonQuestionSchemaWithPlaceholderLikeText_doesNotTreatItAsATemplate() {
    var flow = withData(TestFlows.jsonQuestion(), "plan", "schema",
        Map.of("type", "object", "description", "say {{nothing}}"));

    assertThat(validate(flow)).isEmpty();
  }

  @Test
  void validate_withTimeoutAnswerNotAChoice_namesTheNodeAndTimeoutAnswer() {
    assertThat(validate(withData(QUESTION, "depth", "timeoutAnswer", "a novel")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.timeoutAnswer"));
  }

  @Test
  void validate_withJsonTimeoutAnswerBreakingTheSchema_namesTheNodeAndTimeoutAnswer() {
    assertThat(validate(withData(TestFlows.jsonQuestion(), "plan", "timeoutAnswer", Map.of("steps", 99))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("plan", "data.timeoutAnswer"));
  }

  @Test
  void validate_withJsonTimeoutAnswerMatchingTheSchema_hasNoErrors() {
    assertThat(validate(withData(TestFlows.jsonQuestion(), "plan", "timeoutAnswer", Map.of("steps", 3)))).isEmpty();
  }

  @Test
  void validate_withBlankTextTimeoutAnswer_namesTheNodeAndTimeoutAnswer() {
    var flow = withData(withData(withData(QUESTION, "depth", "answerType", "text"), "depth", "choices", null),
        "depth", "timeoutAnswer", " ");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("depth", "data.timeoutAnswer"));
  }

  @Test
  void validate_withTimeoutDecisionOnAQuestion_pointsToTimeoutAnswer() {
    assertThat(validate(withData(QUESTION, "depth", "timeoutDecision", "approve")))
        .extracting(FieldError::node, FieldError::field, FieldError::message)
        .contains(tuple("depth", "data.timeoutDecision", "is for approvals; a question has timeoutAnswer"))
        .extracting(t -> t.toList().get(1)).containsOnly("data.timeoutDecision");
  }

  @Test
  void validate_withQuestionWithBadTimeout_namesTheNodeAndTimeout() {
    assertThat(validate(withData(QUESTION, "depth", "timeout", "tomorrow")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("depth", "data.timeout"));
  }

  // ------------------------------------------------------------------------------------------ tool nodes

  @ParameterizedTest
  @ValueSource(strings = {"shell", "Calculator", ""})
  void validate_withUnknownTool_namesTheNodeAndTool(String tool) {
    assertThat(validate(withData(TOOL, "calc", "tool", tool)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.tool"));
  }

  @Test
  void validate_withToolNodeWithoutTool_namesTheNodeAndTool() {
    assertThat(validate(withData(TOOL, "calc", "tool", null)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.tool"));
  }

  static Stream<Object> nonObjectArguments() {
    return Stream.of("1+1", "{{input.expression}} please", List.of("1+1"), 42, true);
  }

  @ParameterizedTest
  @MethodSource("nonObjectArguments")
  void validate_withNonObjectToolArguments_namesTheNodeAndArguments(Object arguments) {
    assertThat(validate(withData(TOOL, "calc", "arguments", arguments)))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.arguments"));
  }

  @Test
  void validate_withToolArgumentsFromOnePlaceholder_hasNoErrors() {
    assertThat(validate(withData(TOOL, "calc", "arguments", "{{ input.expression }}"))).isEmpty();
  }

  @Test
  void validate_withToolArgumentsReferringToAnUnknownNode_namesTheArguments() {
    assertThat(validate(withData(TOOL, "calc", "arguments", "{{plan.json}}")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.arguments"));
  }

  @Test
  void validate_withToolWithoutArguments_hasNoErrors() {
    assertThat(validate(withData(withData(TOOL, "calc", "tool", "current_time"), "calc", "arguments", null)))
        .isEmpty();
  }

  static Stream<Object> badApprovalPolicies() {
    return Stream.of(
        "sometimes",
        Map.of("rules", List.of()),
        Map.of("rules", List.of(Map.of("argument", "expression", "operator", "like", "value", "x"))),
        Map.of("rules", List.of(Map.of("argument", "expression", "operator", "matches", "value", "("))),
        Map.of("match", "most", "rules", List.of(Map.of("argument", "expression", "operator", "exists"))),
        42);
  }

  @ParameterizedTest
  @MethodSource("badApprovalPolicies")
  void validate_withBadApprovalPolicy_namesTheNodeAndApproval(Object policy) {
    assertThat(validate(withData(TOOL, "calc", "approval", policy)))
        .extracting(FieldError::node, FieldError::field).containsOnly(tuple("calc", "data.approval"));
  }

  @Test
  void validate_withRulesApprovalPolicy_hasNoErrors() {
    var policy = Map.of("match", "all", "rules", List.of(
        Map.of("argument", "expression", "operator", "matches", "value", "\\d{6,}"),
        Map.of("argument", "expression", "operator", "exists")));

    assertThat(validate(withData(TOOL, "calc", "approval", policy))).isEmpty();
  }

  @Test
  void validate_withRulesApprovalPolicyWithBraces_doesNotTreatThemAsPlaceholders() {
    var policy = Map.of("rules", List.of(Map.of("argument", "expression", "operator", "contains", "value", "{{x}}")));

    assertThat(validate(withData(TOOL, "calc", "approval", policy))).isEmpty();
  }

  @Test
  void validate_withNonStringApprovalMessage_namesTheNodeAndApprovalMessage() {
    assertThat(validate(withData(TOOL, "calc", "approvalMessage", List.of("Compute?"))))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.approvalMessage"));
  }

  @Test
  void validate_withToolWithBadTimeoutDecision_namesTheNodeAndTimeoutDecision() {
    assertThat(validate(withData(TOOL, "calc", "timeoutDecision", "later")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.timeoutDecision"));
  }

  @Test
  void validate_withToolWithBadTimeout_namesTheNodeAndTimeout() {
    assertThat(validate(withData(TOOL, "calc", "timeout", "366d")))
        .extracting(FieldError::node, FieldError::field).containsExactly(tuple("calc", "data.timeout"));
  }

  // ------------------------------------------------------------------------------------------ branches

  private static FlowDefinition withoutEdge(FlowDefinition flow, String id) {
    return new FlowDefinition(flow.slug(), flow.name(), flow.description(), flow.nodes(),
        flow.edges().stream().filter(e -> !e.id().equals(id)).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "Denied", "out-1", ""})
  void validate_withUnknownHandleLeavingAnApproval_namesTheEdgeHandle(String handle) {
    var flow = withEdge(withoutEdge(APPROVAL, "e2"), "review", "answer", handle);

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "edges[2].sourceHandle"));
  }

  @Test
  void validate_withUnknownHandleLeavingATool_namesTheEdgeHandle() {
    var flow = withEdge(withoutEdge(TOOL, "e2"), "calc", "output", "ok");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple(null, "edges[1].sourceHandle"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"approved", "denied"})
  void validate_withBranchHandleLeavingATool_hasNoErrors(String handle) {
    assertThat(validate(withEdge(withoutEdge(TOOL, "e2"), "calc", "output", handle))).isEmpty();
  }

  @Test
  void validate_withoutHandleLeavingAnApproval_hasNoErrors() {
    assertThat(validate(withEdge(withoutEdge(APPROVAL, "e2"), "review", "answer", null))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"out-1", "source-right", "denied"})
  void validate_withAnyHandleLeavingANonBranchingNode_hasNoErrors(String handle) {
    var flow = withEdge(withoutEdge(VALID, "e1"), "input", "answer", handle);

    assertThat(validate(flow)).isEmpty();
  }

  @Test
  void validate_withHandleLeavingAQuestion_hasNoErrorsSinceQuestionsDoNotBranch() {
    var flow = withEdge(withoutEdge(QUESTION, "e2"), "depth", "explain", "out-1");

    assertThat(validate(flow)).isEmpty();
  }

  @Test
  void validate_withApprovalThatDoesNotLeadToTheOutput_namesTheNode() {
    var flow = withEdge(withNode(APPROVAL, new FlowDefinition.FlowNode("extra", "approval",
        Map.of("message", "and this?"), null)), "input", "extra");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("extra", "edges"));
  }

  @Test
  void validate_withQuestionThatDoesNotLeadToTheOutput_namesTheNode() {
    var flow = withEdge(withNode(QUESTION, new FlowDefinition.FlowNode("extra", "question",
        Map.of("question", "and this?"), null)), "input", "extra");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("extra", "edges"));
  }

  @Test
  void validate_withToolThatDoesNotLeadToTheOutput_namesTheNode() {
    var flow = withEdge(withNode(TOOL, new FlowDefinition.FlowNode("clock", "tool",
        Map.of("tool", "current_time"), null)), "input", "clock");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("clock", "edges"));
  }

  @Test
  void validate_withDeniedBranchThatDoesNotLeadToTheOutput_namesItsNode() {
    var flow = withoutEdge(TestFlows.deniedBranch(), "e5");

    assertThat(validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactly(tuple("sorry", "edges"));
  }
}
