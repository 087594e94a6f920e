package io.durableflows.activities.llm;

import io.durableflows.workflows.tools.ToolDrafts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The offline model's answer to a tool-drafting request ({@link ToolDrafts}): an HTTP tool named after the
 * description's first words, taking one {@code query} argument. Deterministic, so the route and its tests need
 * no provider.
 */
final class OfflineToolDrafts {
  private static final Set<String> FILLER = Set.of("a", "an", "the", "of", "for", "to", "in", "on", "and", "or",
      "that", "which", "with", "by", "from", "it", "its", "this", "tool", "returns", "return", "gets", "get");
  private static final int MAX_DESCRIPTION = 300;

  private OfflineToolDrafts() {}

  /** The draft as JSON text when {@code system} is the drafting prompt, else empty. */
  static Optional<String> answer(String system, String description) {
    if (system == null || !system.startsWith(ToolDrafts.MARKER)) return Optional.empty();
    String text = description.strip().replaceAll("\\s+", " ");
    if (text.length() > MAX_DESCRIPTION) text = text.substring(0, MAX_DESCRIPTION);
    String name = name(text);
    return Optional.of("{\"name\": \"" + name + "\", \"description\": \"" + escape(text.isEmpty() ? name : text)
        + "\", \"kind\": \"http\", \"parameters\": {\"type\": \"object\", \"required\": [\"query\"], \"properties\":"
        + " {\"query\": {\"type\": \"string\", \"description\": \"What to ask the tool\"}}}, \"http\": {\"method\":"
        + " \"POST\", \"url\": \"https://api.example.com/" + name.replace('_', '-') + "\"}}");
  }

  private static String name(String description) {
    List<String> words = new ArrayList<>();
    for (String w : description.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty() && !FILLER.contains(w) && words.size() < 4) words.add(w);
    }
    String name = words.isEmpty() ? "custom_tool" : String.join("_", words);
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(' ');
      else out.append(c);
    }
    return out.toString();
  }
}
