package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.memory.MemoryPrompts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline model's answers to the platform's own summary and title instructions. */
class OfflineTasksTest {
  private final OfflineChatModel model = new OfflineChatModel();

  private String ask(String instruction, List<ChatMessage> messages) {
    return model.chat(ChatRequest.builder().messages(SystemMessage.from(instruction),
        UserMessage.from(MemoryPrompts.transcript(messages))).build()).aiMessage().text();
  }

  @Test
  void title_isTheFirstWordsOfTheFirstUserMessage() {
    assertThat(ask(MemoryPrompts.TITLE_INSTRUCTION, List.of(ChatMessage.assistant("Hello! How can I help?"),
        ChatMessage.user("what's the best way to learn Rust quickly?"))))
        .isEqualTo("What's the best way to learn");
    assertThat(ask(MemoryPrompts.TITLE_INSTRUCTION, List.of(ChatMessage.user("Tides?")))).isEqualTo("Tides");
    assertThat(ask(MemoryPrompts.TITLE_INSTRUCTION, List.of(ChatMessage.assistant("hi")))).isEqualTo("New conversation");
  }

  @Test
  void summary_keepsWhoSaidWhatInOrder_shortened() {
    String summary = ask(MemoryPrompts.SUMMARY_INSTRUCTION, List.of(ChatMessage.user("I live in Lisbon."),
        ChatMessage.assistant("x".repeat(500))));

    assertThat(summary).startsWith("user: I live in Lisbon.; assistant: xxx").endsWith("…");
    assertThat(summary.length()).isLessThan(200);
  }

  @Test
  void otherPrompts_getTheUsualOfflineAnswer() {
    assertThat(ask("Be brief.", List.of(ChatMessage.user("hi")))).startsWith("Offline answer to");
  }
}
