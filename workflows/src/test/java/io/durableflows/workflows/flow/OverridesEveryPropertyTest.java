package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 001's {@code override} reaches every property of llm, template, tool and agent nodes (not just temperature). */
class OverridesEveryPropertyTest {
  private static final FlowDefinition QA = TestFlows.example("qa-openai");
  private static final FlowDefinition CALCULATOR = TestFlows.calculator();
  private static final FlowDefinition AGENT = TestFlows.parse("""
      {"slug": "helper", "nodes": [
        {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string"}]}},
        {"id": "agent_1", "type": "agent", "data": {"prompt": "{{input.message}}", "skills": ["triage"]}},
        {"id": "output", "type": "output", "data": {"shape": "raw"}}],
       "edges": [{"id": "e1", "source": "input", "target": "agent_1"}, {"id": "e2", "source": "agent_1", "target": "output"}]}
      """);
  private static final FlowDefinition TEMPLATE = TestFlows.parse("""
      {"slug": "t", "nodes": [
        {"id": "input", "type": "input", "data": {"variables": [{"name": "q", "type": "string"}]}},
        {"id": "shape", "type": "template", "data": {"template": "Q: {{input.q}}"}},
        {"id": "output", "type": "output", "data": {"shape": "raw"}}],
       "edges": [{"id": "e1", "source": "input", "target": "shape"}, {"id": "e2", "source": "shape", "target": "output"}]}
      """);

  static Stream<Arguments> properties() {
    return Stream.of(
        Arguments.of(QA, "answer", "provider", "anthropic"),
        Arguments.of(QA, "answer", "model", "gpt-4o"),
        Arguments.of(QA, "answer", "systemPrompt", "Be terse about {{input.question}}"),
        Arguments.of(QA, "answer", "prompt", "Briefly: {{input.question}}"),
        Arguments.of(QA, "answer", "temperature", 0.7),
        Arguments.of(QA, "answer", "maxTokens", 64),
        Arguments.of(QA, "answer", "label", "Answer"),
        Arguments.of(TEMPLATE, "shape", "template", "Question: {{input.q}}"),
        Arguments.of(TEMPLATE, "shape", "label", "Shape"),
        Arguments.of(CALCULATOR, "calc", "tool", "current_time"),
        Arguments.of(CALCULATOR, "calc", "arguments", Map.of("expression", "2+2")),
        Arguments.of(CALCULATOR, "calc", "approval", "never"),
        Arguments.of(CALCULATOR, "calc", "approvalMessage", "Run it?"),
        Arguments.of(CALCULATOR, "calc", "timeout", "1h"),
        Arguments.of(CALCULATOR, "calc", "timeoutDecision", "approve"),
        Arguments.of(CALCULATOR, "calc", "label", "Calc"),
        Arguments.of(AGENT, "agent_1", "skills", List.of("triage", "refunds")),
        Arguments.of(AGENT, "agent_1", "promptBlocks", List.of("tone")),
        Arguments.of(AGENT, "agent_1", "contextBlocks", List.of("clock")),
        Arguments.of(AGENT, "agent_1", "model", "gpt-4o"),
        Arguments.of(AGENT, "agent_1", "maxSteps", 5));
  }

  @ParameterizedTest(name = "{1}.{2}")
  @MethodSource("properties")
  void apply_overridesEachProperty(FlowDefinition flow, String node, String property, Object value) {
    var result = Overrides.apply(flow, Map.of("node/" + node + "." + property, value));

    assertThat(result.node(node).data()).containsEntry(property, value);
  }

  @Test
  void properties_listCoversEveryOverridableLlmTemplateAndToolProperty() {
    Map<NodeKind, Set<String>> covered = new LinkedHashMap<>();
    properties().forEach(a -> {
      FlowDefinition flow = (FlowDefinition) a.get()[0];
      NodeKind kind = NodeKind.of(flow.node((String) a.get()[1]).type()).orElseThrow();
      covered.computeIfAbsent(kind, k -> new java.util.TreeSet<>()).add((String) a.get()[2]);
    });
    assertThat(covered.get(NodeKind.LLM)).containsExactlyInAnyOrderElementsOf(NodeKind.LLM.properties());
    // "json" is the other way to write a template node (exclusive with "template"): covered below.
    assertThat(covered.get(NodeKind.TEMPLATE)).containsExactlyInAnyOrder("template", "label");
    // "definition" goes with "tool" (the definition's name): covered below.
    covered.get(NodeKind.TOOL).add("definition");
    assertThat(covered.get(NodeKind.TOOL)).containsExactlyInAnyOrderElementsOf(NodeKind.TOOL.properties());
  }

  @Test
  void apply_toolDefinitionOverride_replacesTheTool() {
    Map<String, Object> weather = Map.of("name", "weather", "kind", "http", "description", "The weather",
        "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
        "http", Map.of("method", "GET", "url", "https://weather.example/v1?city={{args.city}}"));
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("node/calc.tool", "weather");
    overrides.put("node/calc.definition", weather);

    var result = Overrides.apply(CALCULATOR, overrides);

    assertThat(result.node("calc").data()).containsEntry("definition", weather).containsEntry("tool", "weather");
  }

  @Test
  void apply_jsonOverrideOfJsonTemplateNode_replacesIt() {
    var json = TestFlows.withData(TestFlows.withData(TEMPLATE, "shape", "template", null), "shape", "json",
        Map.of("q", "{{input.q}}"));

    var result = Overrides.apply(json, Map.of("node/shape.json", Map.of("question", "{{input.q}}")));

    assertThat(result.node("shape").data()).containsEntry("json", Map.of("question", "{{input.q}}"));
  }
}
