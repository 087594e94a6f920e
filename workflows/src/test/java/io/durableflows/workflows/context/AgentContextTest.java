package io.durableflows.workflows.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowValidator;
import io.durableflows.workflows.flow.TestFlows;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentContextTest {
  private static final ContextBlocks BLOCKS = new ContextBlocks(
      ContextBlocks.wrap("skill", "triage", "Sort tickets by urgency.") + "\n\n"
          + ContextBlocks.wrap("block", "tone", "Be kind."),
      List.of(new ContextBlocks.Block("triage", "skill", "skill", "Sort tickets by urgency.", "none", false, null),
          new ContextBlocks.Block("tone", "prompt", "static", "Be kind.", "none", false, null)));

  @Test
  void systemPrompt_appendsTheBlocksAfterTheBase() {
    assertThat(AgentContext.systemPrompt("You are a support agent.", BLOCKS)).isEqualTo("""
        You are a support agent.

        <skill name="triage">
        Sort tickets by urgency.
        </skill>

        <block name="tone">
        Be kind.
        </block>""");
  }

  @Test
  void systemPrompt_withoutBlocks_isTheBase() {
    assertThat(AgentContext.systemPrompt("Base.", ContextBlocks.EMPTY)).isEqualTo("Base.");
    assertThat(AgentContext.systemPrompt(null, null)).isEmpty();
  }

  @Test
  void systemPrompt_withoutBase_isTheBlocks() {
    assertThat(AgentContext.systemPrompt("  ", BLOCKS)).startsWith("<skill name=\"triage\">");
  }

  @Test
  void wrap_escapesQuotesInTheName() {
    assertThat(ContextBlocks.wrap("block", "a\"b", " x ")).isEqualTo("<block name=\"a&quot;b\">\nx\n</block>");
  }

  @Test
  void needed_onlyWhenTheNodeNamesSomething() {
    assertThat(AgentContext.needed(ContextRequest.build("acme", null, null, null, null))).isFalse();
    assertThat(AgentContext.needed(ContextRequest.build("acme", null, List.of("triage"), null, null))).isTrue();
  }

  @Test
  void validate_agentNodeWithSkillsAndBlocks_isAccepted() {
    var flow = TestFlows.parse(agentFlow("\"skills\": [\"triage\"], \"promptBlocks\": [\"tone\"], \"contextBlocks\": []"));

    assertThat(FlowValidator.validate(flow)).isEmpty();
  }

  @Test
  void validate_agentNodeWithBadSkillList_namesTheField() {
    var flow = TestFlows.parse(agentFlow("\"skills\": \"triage\", \"promptBlocks\": [1]"));

    assertThat(FlowValidator.validate(flow)).extracting(FieldError::node, FieldError::field)
        .containsExactlyInAnyOrder(tuple("agent_1", "data.skills"), tuple("agent_1", "data.promptBlocks"));
  }

  private static String agentFlow(String extra) {
    return """
        {"slug": "helper", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string"}]}},
          {"id": "agent_1", "type": "agent", "data": {"prompt": "{{input.message}}", %s}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}],
         "edges": [{"id": "e1", "source": "input", "target": "agent_1"},
                   {"id": "e2", "source": "agent_1", "target": "output"}]}
        """.formatted(extra);
  }
}
