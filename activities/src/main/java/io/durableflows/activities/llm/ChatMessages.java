package io.durableflows.activities.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.durableflows.workflows.llm.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/** Our {@link ChatMessage}s as langchain4j messages. */
public final class ChatMessages {
  private ChatMessages() {}

  public static List<dev.langchain4j.data.message.ChatMessage> toLangchain(List<ChatMessage> messages) {
    List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>();
    if (messages == null) return out;
    for (ChatMessage m : messages) out.add(toLangchain(m));
    return out;
  }

  public static dev.langchain4j.data.message.ChatMessage toLangchain(ChatMessage m) {
    String content = m.content() == null ? "" : m.content();
    return switch (m.role()) {
      case ChatMessage.SYSTEM -> SystemMessage.from(content.isEmpty() ? " " : content);
      case ChatMessage.ASSISTANT -> {
        if (m.toolCalls().isEmpty()) yield AiMessage.from(content);
        List<ToolExecutionRequest> calls = m.toolCalls().stream().map(c -> ToolExecutionRequest.builder()
            .id(c.id()).name(c.name()).arguments(c.arguments()).build()).toList();
        yield content.isEmpty() ? AiMessage.from(calls) : AiMessage.from(content, calls);
      }
      case ChatMessage.TOOL -> ToolExecutionResultMessage.from(m.toolCallId(), m.name(), content);
      default -> UserMessage.from(content.isEmpty() ? " " : content);
    };
  }
}
