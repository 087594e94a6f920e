package io.durableflows.workflows.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.workflows.llm.ChatMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {
  private static final List<ChatMessage> TURNS = List.of(
      ChatMessage.user("one"), ChatMessage.assistant("two"), ChatMessage.user("three"),
      ChatMessage.assistant("four"), ChatMessage.user("five"));

  @Test
  void select_withWindow_keepsTheLastNMessagesInOrder() {
    HistoryWindow.Selection s = HistoryWindow.select(TURNS, 2, null);

    assertThat(s.kept()).extracting(ChatMessage::content).containsExactly("four", "five");
    assertThat(s.older()).extracting(ChatMessage::content).containsExactly("one", "two", "three");
  }

  @Test
  void select_withNeitherWindowNorBudget_keepsTheLastTen() {
    List<ChatMessage> many = java.util.stream.IntStream.range(0, 15).mapToObj(i -> ChatMessage.user("m" + i)).toList();

    assertThat(HistoryWindow.select(many, null, null).kept()).hasSize(HistoryWindow.DEFAULT_WINDOW)
        .first().extracting(ChatMessage::content).isEqualTo("m5");
  }

  @Test
  void select_withTokenBudget_keepsNewestMessagesThatFit() {
    ChatMessage big = ChatMessage.user("x".repeat(400)); // ~104 tokens
    ChatMessage small1 = ChatMessage.assistant("y".repeat(40)); // ~14
    ChatMessage small2 = ChatMessage.user("z".repeat(40)); // ~14

    HistoryWindow.Selection s = HistoryWindow.select(List.of(big, small1, small2), null, 50);

    assertThat(s.kept()).containsExactly(small1, small2);
    assertThat(s.older()).containsExactly(big);
    assertThat(HistoryWindow.approxTokens(s.kept())).isLessThanOrEqualTo(50);
  }

  @Test
  void select_withWindowAndBudget_appliesBoth() {
    assertThat(HistoryWindow.select(TURNS, 4, 7).kept()).extracting(ChatMessage::content)
        .containsExactly("five");
  }

  @Test
  void select_withEarlierSummary_keepsItFirstWhenItFits() {
    List<ChatMessage> history = new java.util.ArrayList<>();
    history.add(ChatMessage.system(MemoryPrompts.SUMMARY_PREFIX + "we talked"));
    history.addAll(TURNS);

    HistoryWindow.Selection s = HistoryWindow.select(history, 2, null);

    assertThat(s.kept()).extracting(ChatMessage::role).containsExactly("system", "assistant", "user");
    assertThat(s.older()).hasSize(3);
  }

  @Test
  void select_ofNoHistory_keepsNothing() {
    assertThat(HistoryWindow.select(List.of(), 5, 100).kept()).isEmpty();
    assertThat(HistoryWindow.select(null, 5, 100).older()).isEmpty();
  }

  @Test
  void userText_prefersTheMessageVariable_elseTheOnlyString_elseJson() {
    assertThat(UserText.of(Map.of("question", "Why?", "tone", "plain"))).isEqualTo("Why?");
    assertThat(UserText.of(Map.of("topic", "tides", "n", 3))).isEqualTo("tides");
    assertThat(UserText.of(new java.util.LinkedHashMap<>(Map.of("n", 3)))).isEqualTo("{\"n\":3}");
  }
}
