package io.durableflows.activities.evals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** How evaluations read a run's output: the value they evaluate, and its text. */
public final class EvalValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvalValues() {}

  /** The evaluated value: the output, the value at {@code path}, or a ChatCompletion output's message content. */
  public static Object evaluated(Object output, Object path) {
    if (path instanceof String p && !p.isBlank()) {
      Object current = output instanceof String s && parseJson(s) instanceof Map<?, ?> m ? m : output;
      for (String key : p.split("\\.")) {
        if (current instanceof Map<?, ?> map) {
          current = map.get(key);
        } else if (current instanceof List<?> list && key.matches("\\d+") && Integer.parseInt(key) < list.size()) {
          current = list.get(Integer.parseInt(key));
        } else {
          current = null;
        }
      }
      return current;
    }
    if (output instanceof Map<?, ?> map && "chat.completion".equals(map.get("object"))
        && map.get("choices") instanceof List<?> choices && !choices.isEmpty()
        && choices.get(0) instanceof Map<?, ?> choice && choice.get("message") instanceof Map<?, ?> message) {
      return message.get("content");
    }
    return output;
  }

  /** A value as text: strings as they are, whole numbers without ".0", anything else as JSON. */
  public static String text(Object value) {
    if (value == null) return "";
    if (value instanceof String s) return s;
    if (value instanceof Number n) return JudgePrompts.number(n.doubleValue());
    if (value instanceof Boolean) return String.valueOf(value);
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      return String.valueOf(value);
    }
  }

  /** JSON text (also inside a Markdown code fence) as maps, lists and scalars; null when it is not JSON. */
  public static Object parseJson(String text) {
    String t = text.strip();
    if (t.startsWith("```")) t = t.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    try {
      JsonNode node = JSON.readTree(t);
      return node == null || node.isMissingNode() ? null : JSON.treeToValue(node, Object.class);
    } catch (Exception e) {
      return null;
    }
  }
}
