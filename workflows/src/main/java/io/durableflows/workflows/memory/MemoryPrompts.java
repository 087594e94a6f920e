package io.durableflows.workflows.memory;

import io.durableflows.workflows.llm.ChatMessage;
import java.util.List;

/**
 * The instructions of summarising and titling calls, and the transcript they read. The built-in offline model
 * recognises these instructions, so compaction and titles work without a provider.
 */
public final class MemoryPrompts {
  public static final String SUMMARY_INSTRUCTION =
      "Summarise the conversation transcript below for your own later reference. Keep facts, names, numbers, "
          + "decisions and open questions; drop pleasantries. Answer with the summary only.";
  public static final String TITLE_INSTRUCTION =
      "Write a short title (at most six words) for the conversation transcript below. Answer with the title only, "
          + "without quotes.";
  /** How a compaction summary opens when it is handed to a model as a system message. */
  public static final String SUMMARY_PREFIX = "Summary of the earlier conversation: ";

  private MemoryPrompts() {}

  public static String instruction(String kind) {
    return SummaryRequest.TITLE.equals(kind) ? TITLE_INSTRUCTION : SUMMARY_INSTRUCTION;
  }

  /** One line per message: {@code role: content}. */
  public static String transcript(List<ChatMessage> messages) {
    StringBuilder out = new StringBuilder();
    for (ChatMessage m : messages) {
      if (!out.isEmpty()) out.append('\n');
      out.append(m.role()).append(": ").append(m.content() == null ? "" : m.content().strip());
    }
    return out.toString();
  }
}
