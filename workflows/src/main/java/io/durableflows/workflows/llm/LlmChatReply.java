package io.durableflows.workflows.llm;

import io.durableflows.workflows.llm.ChatMessage.ToolRequest;
import java.util.List;

/** A model turn's answer: its text and usage, and the tool calls it asked for (none means a final answer). */
public record LlmChatReply(LlmReply reply, List<ToolRequest> toolCalls) {
  public LlmChatReply {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }
}
