package io.durableflows.workflows.memory;

import io.durableflows.workflows.llm.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Which messages of a history a memory node keeps: the last {@code window} messages and/or, newest first, as
 * many as fit {@code tokenBudget} approximate tokens. A leading system message (an earlier compaction's summary)
 * is kept as long as it fits. Pure and deterministic: workflow code.
 */
public final class HistoryWindow {
  public static final int DEFAULT_WINDOW = 10;

  private HistoryWindow() {}

  /** The kept messages, and the older ones left out (what a compaction summarises). */
  public record Selection(List<ChatMessage> kept, List<ChatMessage> older) {}

  /** About four characters a token, as OpenAI's rule of thumb says, plus a few for the message's framing. */
  public static int approxTokens(ChatMessage m) {
    int chars = m.content() == null ? 0 : m.content().length();
    return (chars + 3) / 4 + 4;
  }

  public static int approxTokens(List<ChatMessage> messages) {
    int sum = 0;
    for (ChatMessage m : messages) sum += approxTokens(m);
    return sum;
  }

  public static Selection select(List<ChatMessage> history, Integer window, Integer tokenBudget) {
    List<ChatMessage> all = history == null ? List.of() : history;
    ChatMessage summary = !all.isEmpty() && ChatMessage.SYSTEM.equals(all.get(0).role()) ? all.get(0) : null;
    List<ChatMessage> turns = summary == null ? all : all.subList(1, all.size());
    int limit = window == null && tokenBudget == null ? DEFAULT_WINDOW : window == null ? Integer.MAX_VALUE : window;
    int budget = tokenBudget == null ? Integer.MAX_VALUE : tokenBudget;
    int from = turns.size();
    int used = 0;
    while (from > 0 && turns.size() - from < limit) {
      int cost = approxTokens(turns.get(from - 1));
      if (used + cost > budget) break;
      used += cost;
      from--;
    }
    List<ChatMessage> kept = new ArrayList<>();
    List<ChatMessage> older = new ArrayList<>();
    if (summary != null) {
      if (used + approxTokens(summary) <= budget) kept.add(summary);
      else older.add(summary);
    }
    older.addAll(turns.subList(0, from));
    kept.addAll(turns.subList(from, turns.size()));
    return new Selection(List.copyOf(kept), List.copyOf(older));
  }
}
