package io.durableflows.workflows.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The user's words in a run's input, as 001's {@code userMessage.content} shows them. */
public final class UserText {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Variables that hold the user's message, in the order chat routes fill them. */
  public static final List<String> MESSAGE_VARIABLES =
      List.of("question", "message", "text", "prompt", "input", "query");

  private UserText() {}

  /**
   * A string variable named question, message, text, prompt, input or query (the first found); else the input's
   * only string value; else the input as JSON.
   */
  public static String of(Map<String, Object> input) {
    if (input == null) return "";
    for (String name : MESSAGE_VARIABLES) {
      if (input.get(name) instanceof String s) return s;
    }
    List<String> strings = input.values().stream().filter(v -> v instanceof String).map(v -> (String) v).toList();
    if (strings.size() == 1) return strings.get(0);
    try {
      return JSON.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      return String.valueOf(input);
    }
  }
}
