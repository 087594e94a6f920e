package io.durableflows.workflows.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/** Token usage of one model call or a whole run. */
public record Usage(long promptTokens, long completionTokens) {
  public static final Usage ZERO = new Usage(0, 0);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * OpenAI's usage object ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}), mutable and in
   * that order: templates render it, and their text must not vary between JVMs.
   */
  public Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("prompt_tokens", promptTokens);
    fields.put("completion_tokens", completionTokens);
    fields.put("total_tokens", totalTokens());
    return fields;
  }

  public Usage plus(Usage other) {
    return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }
}
