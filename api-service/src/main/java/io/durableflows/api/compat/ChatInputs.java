package io.durableflows.api.compat;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InputVariable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How chat-shaped requests (OpenAI messages, agent chat) become a flow's typed input. */
public final class ChatInputs {
  private static final List<String> MESSAGE_VARIABLES = List.of("question", "message", "text", "prompt", "input", "query");

  private ChatInputs() {}

  /** The text of the last user message (a string or OpenAI text parts); 400 when there is none. */
  public static String lastUserMessage(List<Map<String, Object>> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      Map<String, Object> m = messages.get(i);
      if (m != null && "user".equals(m.get("role"))) {
        Object content = m.get("content");
        if (content instanceof String s) return s;
        if (content instanceof List<?> parts) {
          StringBuilder text = new StringBuilder();
          for (Object part : parts) {
            if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("text") instanceof String t) {
              text.append(t);
            }
          }
          return text.toString();
        }
        throw ApiException.badRequest("invalid_request", "messages[" + i + "].content must be a string or text parts");
      }
    }
    throw ApiException.badRequest("invalid_request", "messages must contain a user message");
  }

  /**
   * The last user message goes to the flow's text variable (one named question, message, text, prompt, input or
   * query; else the first string variable); a variable named {@code messages} of type array gets the history.
   */
  public static Map<String, Object> mapInput(InputSchema schema, List<Map<String, Object>> messages, String userText) {
    InputVariable target = null;
    for (String name : MESSAGE_VARIABLES) {
      for (InputVariable v : schema.variables()) {
        if (target == null && v.name().equals(name) && "string".equals(v.type())) target = v;
      }
    }
    for (InputVariable v : schema.variables()) {
      if (target == null && "string".equals(v.type())) target = v;
    }
    if (target == null) {
      throw ApiException.badRequest("unsupported_flow",
          "this flow has no string input variable to receive the user message");
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put(target.name(), userText);
    for (InputVariable v : schema.variables()) {
      if (v.name().equals("messages") && "array".equals(v.type())) input.put("messages", messages);
    }
    return input;
  }
}
