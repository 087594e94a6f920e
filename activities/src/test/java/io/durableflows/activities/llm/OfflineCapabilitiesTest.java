package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.Test;

class OfflineCapabilitiesTest {
  private final OfflineChatModel model = new OfflineChatModel();

  private String answer(String system, String user) {
    return model.chat(ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user)).build())
        .aiMessage().text();
  }

  @Test
  void plan_isANumberedListNamingTheGoal() {
    String plan = answer("Write a numbered plan of 3 to 7 steps.", "Goal: ship the release");

    assertThat(plan.lines()).hasSize(4).allMatch(l -> l.matches("\\d\\. .+"));
    assertThat(plan).contains("\"ship the release\"");
    assertThat(answer("Write a numbered plan of 3 to 7 steps.", "Goal: ship the release")).isEqualTo(plan);
  }

  @Test
  void reflect_critiquesAndRevisesTheDraft() {
    String text = answer("Answer with 'Critique:' then 'Revised answer:'.",
        "Criteria: be polite\n\nDraft:\nthanks   for waiting");

    assertThat(text).startsWith("Critique: checked against \"be polite\", 3 words: it does not start with a capital "
        + "letter; it does not end with a full stop; it has stray whitespace.");
    assertThat(text).endsWith("\nRevised answer: Thanks for waiting.");
  }

  @Test
  void reflect_ofACleanDraft_findsNoProblems() {
    assertThat(answer("'Revised answer:'", "Criteria: x\n\nDraft:\nAll good.")).contains("no problems found")
        .endsWith("Revised answer: All good.");
  }

  @Test
  void otherPrompts_keepTheEchoAnswer() {
    assertThat(answer("You are helpful.", "Hi")).startsWith("Offline answer to \"Hi\"");
  }
}
