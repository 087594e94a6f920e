package io.durableflows.activities.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.durableflows.workflows.memory.MemoryPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the offline model answers to the platform's own summarising, titling and judging calls (recognised by their
 * instruction, {@link MemoryPrompts}, {@code JudgePrompts}): a condensed transcript, a title from the first user
 * message and a word-overlap verdict ({@link OfflineJudge}), so compaction, title generation and LLM-judge
 * evaluations give sensible results without a provider; and the completion operations' instructions
 * ({@link OfflineCompletions}).
 */
final class OfflineTasks {
  private static final int TITLE_WORDS = 6;
  private static final int MESSAGE_CHARS = 160;
  private static final int SUMMARY_CHARS = 2000;

  private OfflineTasks() {}

  static Optional<String> answer(ChatRequest request) {
    String instruction = null;
    String transcript = "";
    for (ChatMessage m : request.messages()) {
      if (m instanceof SystemMessage s && instruction == null) instruction = s.text();
      if (m instanceof UserMessage u && u.hasSingleText()) transcript = u.singleText();
    }
    if (MemoryPrompts.TITLE_INSTRUCTION.equals(instruction)) return Optional.of(title(transcript));
    if (MemoryPrompts.SUMMARY_INSTRUCTION.equals(instruction)) return Optional.of(summary(transcript));
    Optional<String> completion = OfflineCompletions.answer(instruction, transcript);
    return completion.isPresent() ? completion : OfflineJudge.answer(instruction, transcript);
  }

  /** The first words of the first user line, capitalised, without trailing punctuation. */
  static String title(String transcript) {
    String first = null;
    for (String line : transcript.split("\n")) {
      if (line.startsWith("user: ") && !line.substring(6).isBlank()) {
        first = line.substring(6).strip();
        break;
      }
    }
    if (first == null) return "New conversation";
    String[] words = first.split("\\s+");
    String title = String.join(" ", java.util.Arrays.copyOf(words, Math.min(TITLE_WORDS, words.length)))
        .replaceAll("[\\p{Punct}&&[^'%$€-]]+$", "").strip();
    if (title.isEmpty()) return "New conversation";
    return title.substring(0, 1).toUpperCase(Locale.ROOT) + title.substring(1);
  }

  /** Each message shortened, in order: who said what. */
  static String summary(String transcript) {
    List<String> parts = new ArrayList<>();
    for (String line : transcript.split("\n")) {
      if (line.isBlank()) continue;
      String l = line.strip();
      parts.add(l.length() > MESSAGE_CHARS ? l.substring(0, MESSAGE_CHARS) + "…" : l);
    }
    String text = parts.isEmpty() ? "nothing was said yet" : String.join("; ", parts);
    return text.length() > SUMMARY_CHARS ? text.substring(0, SUMMARY_CHARS) + "…" : text;
  }
}
