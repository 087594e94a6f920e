package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolDrafts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offline model drafts a valid tool definition when asked with the drafting prompt, and only then. */
class OfflineToolDraftsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String answer(String system, String user) {
    ChatRequest.Builder request = ChatRequest.builder();
    request.messages(system == null ? java.util.List.of(UserMessage.from(user))
        : java.util.List.of(SystemMessage.from(system), UserMessage.from(user)));
    return new OfflineChatModel().doChat(request.build()).aiMessage().text();
  }

  @Test
  void draftingPrompt_givesAValidHttpToolNamedAfterTheDescription() throws Exception {
    String text = answer(ToolDrafts.SYSTEM_PROMPT, "Send a \"hello\" message to a Slack channel");

    @SuppressWarnings("unchecked")
    Map<String, Object> draft = JSON.readValue(text, Map.class);
    assertThat(ToolDefinition.problems(draft)).isEmpty();
    assertThat(draft.get("name")).isEqualTo("send_hello_message_slack");
    assertThat(draft.get("kind")).isEqualTo("http");
    assertThat(draft.get("description")).isEqualTo("Send a \"hello\" message to a Slack channel");
    assertThat(answer(ToolDrafts.SYSTEM_PROMPT, "Send a \"hello\" message to a Slack channel")).isEqualTo(text);
  }

  @Test
  void otherPrompts_getTheUsualOfflineAnswer() {
    assertThat(answer("You are helpful.", "Draft a tool")).startsWith("Offline answer to");
    assertThat(answer(null, "Draft a tool")).startsWith("Offline answer to");
  }
}
