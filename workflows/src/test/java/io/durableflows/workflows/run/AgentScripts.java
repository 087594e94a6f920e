package io.durableflows.workflows.run;

import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.ChatMessage.ToolRequest;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import java.util.List;

/** Scripted model turns for agent tests: what a model answers at each turn of the loop. */
final class AgentScripts {
  private AgentScripts() {}

  static LlmChatReply calls(ToolRequest... calls) {
    return new LlmChatReply(reply(""), List.of(calls));
  }

  static LlmChatReply answer(String text) {
    return new LlmChatReply(reply(text), List.of());
  }

  static LlmReply reply(String text) {
    return new LlmReply(text, "openai", "gpt-4o-mini", "stop", new Usage(20, 5), 0.00002, 150);
  }

  static ToolRequest call(String id, String tool, String arguments) {
    return new ToolRequest(id, tool, arguments);
  }

  /** The tool messages the model has read so far in this call. */
  static List<ChatMessage> toolMessages(LlmChatCall call) {
    return call.messages().stream().filter(m -> ChatMessage.TOOL.equals(m.role())).toList();
  }

  /**
   * Calls the calculator on the first turn (with every tool in parallel when offered more), then answers with
   * what the tools returned: the recorded agent histories' model.
   */
  static LlmChatReply calculatorThenAnswer(LlmChatCall call) {
    List<ChatMessage> results = toolMessages(call);
    if (!results.isEmpty()) {
      return answer("Tools said: " + String.join(", ", results.stream().map(ChatMessage::content).toList()));
    }
    List<ToolRequest> requests = call.tools().stream().map(t -> switch (t.name()) {
      case "calculator" -> call("call_calc", "calculator", "{\"expression\": \"6*7\"}");
      case "current_time" -> call("call_time", "current_time", "{\"timezone\": \"UTC\"}");
      default -> call("call_" + t.name(), t.name(), "{}");
    }).toList();
    return new LlmChatReply(reply(""), requests);
  }
}
