package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placeholder agent node's save-time checks: prompt, tools (tool definitions), sub-agents, limits. */
class AgentNodeValidationTest {
  private static final String AGENT_JSON = """
      {"slug": "agent", "nodes": [
        {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string", "required": true}]}},
        {"id": "agent_1", "type": "agent", "data": {"prompt": "{{input.message}}", "tools": ["calculator"],
          "subagents": [{"name": "researcher", "description": "Finds facts", "flow": "agent--researcher"}]}},
        {"id": "output", "type": "output", "data": {"shape": "raw", "source": "agent_1"}}],
       "edges": [{"source": "input", "target": "agent_1"}, {"source": "agent_1", "target": "output"}]}""";

  private static List<String> fields(FlowDefinition flow) {
    return FlowValidator.validate(flow).stream().map(FieldError::field).toList();
  }

  @Test
  void agentNode_withPromptToolsAndSubagents_isValid() {
    assertThat(FlowValidator.validate(TestFlows.parse(AGENT_JSON))).isEmpty();
  }

  @Test
  void agentNode_withHttpToolWhoseTemplatesAreNotFlowReferences_isValid() {
    FlowDefinition flow = TestFlows.withData(TestFlows.parse(AGENT_JSON), "agent_1", "tools", List.of(Map.of(
        "name", "weather", "description", "Weather", "kind", "http",
        "http", Map.of("method", "GET", "url", "https://api.example.com/{{city}}"))));
    assertThat(FlowValidator.validate(flow)).isEmpty();
  }

  @Test
  void agentNode_withoutPrompt_isRejected() {
    assertThat(fields(TestFlows.withData(TestFlows.parse(AGENT_JSON), "agent_1", "prompt", null)))
        .containsExactly("data.prompt");
  }

  @Test
  void agentNode_withBadOrDuplicateTools_namesEachEntry() {
    FlowDefinition flow = TestFlows.withData(TestFlows.parse(AGENT_JSON), "agent_1", "tools",
        List.of("calculator", "teleporter", "calculator", Map.of("name", "x", "kind", "http")));
    assertThat(fields(flow)).containsExactly("data.tools[1]", "data.tools[2]", "data.tools[3]", "data.tools[3]");
  }

  @Test
  void agentNode_withBadSubagents_namesEachField() {
    FlowDefinition flow = TestFlows.withData(TestFlows.parse(AGENT_JSON), "agent_1", "subagents", List.of(
        Map.of("name", "calculator", "description", "clashes with the tool", "flow", "x"),
        Map.of("name", "ok", "flow", "Not A Slug", "extra", 1)));
    assertThat(fields(flow)).containsExactlyInAnyOrder("data.subagents[0].name", "data.subagents[1].extra",
        "data.subagents[1].description", "data.subagents[1].flow");
  }

  @Test
  void agentNode_withBadLimits_isRejected() {
    FlowDefinition flow = TestFlows.withData(TestFlows.withData(TestFlows.withData(TestFlows.parse(AGENT_JSON),
        "agent_1", "maxSteps", 0), "agent_1", "parallelToolCalls", "yes"), "agent_1", "skills", List.of(1));
    assertThat(fields(flow)).containsExactlyInAnyOrder("data.maxSteps", "data.parallelToolCalls", "data.skills");
  }

  @Test
  void agentNode_withUnknownProperty_isRejected() {
    assertThat(fields(TestFlows.withData(TestFlows.parse(AGENT_JSON), "agent_1", "colour", "blue")))
        .containsExactly("data.colour");
  }
}
