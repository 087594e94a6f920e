package io.durableflows.activities.completions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.llm.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How items of each shape become the text a model reads; an item of the wrong shape is a {@link Problem}. */
final class CompletionItems {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(item(?:\\.[A-Za-z0-9_-]+)*)\\s*}}");
  private static final Set<String> ROLES = Set.of(ChatMessage.SYSTEM, ChatMessage.USER, ChatMessage.ASSISTANT);

  /** An item this operation cannot take; the message says what it needs. */
  static final class Problem extends RuntimeException {
    Problem(String message) {
      super(message, null, false, false);
    }
  }

  private CompletionItems() {}

  /** A string as it is, anything else as JSON. */
  static String text(Object item) {
    if (item == null) throw new Problem("the item is null");
    if (item instanceof String s) {
      if (s.isBlank()) throw new Problem("the item is an empty string");
      return s;
    }
    try {
      return JSON.writeValueAsString(item);
    } catch (JsonProcessingException e) {
      throw new Problem("the item is not JSON");
    }
  }

  /** The object an enrich item is: an object as it is, a string as {@code {"text": ...}}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> record(Object item) {
    if (item instanceof Map<?, ?> map) return new LinkedHashMap<>((Map<String, Object>) map);
    if (item instanceof String s && !s.isBlank()) {
      Map<String, Object> wrapped = new LinkedHashMap<>();
      wrapped.put("text", s);
      return wrapped;
    }
    throw new Problem("enrich takes an object or a non-empty string");
  }

  /** The text an autocomplete item starts: a string, or an object's {@code text} or {@code prefix}. */
  static String prefix(Object item) {
    Object value = item instanceof Map<?, ?> map ? (map.get("text") != null ? map.get("text") : map.get("prefix"))
        : item;
    if (value instanceof String s && !s.isBlank()) return s;
    throw new Problem("autocomplete takes a non-empty string, or an object with a \"text\" or \"prefix\" string");
  }

  /** A chat item: a prompt string, {@code {"prompt": ...}} or {@code {"messages": [{role, content}...]}}. */
  static List<ChatMessage> conversation(Object item) {
    if (item instanceof String s && !s.isBlank()) return List.of(ChatMessage.user(s));
    if (item instanceof Map<?, ?> map) {
      if (map.get("prompt") instanceof String s && !s.isBlank()) return List.of(ChatMessage.user(s));
      if (map.get("messages") instanceof List<?> list && !list.isEmpty()) {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("role") instanceof String role)
              || !ROLES.contains(role) || !(m.get("content") instanceof String content)) {
            throw new Problem("messages[" + i + "] must be {\"role\": \"system|user|assistant\", \"content\": "
                + "\"...\"}");
          }
          messages.add(new ChatMessage(role, content, null, null, null));
        }
        if (!messages.getLast().role().equals(ChatMessage.USER)) {
          throw new Problem("the last message must be the user's");
        }
        return messages;
      }
    }
    throw new Problem("chat takes a prompt string, {\"prompt\": \"...\"} or {\"messages\": [...]}");
  }

  /** A run template with {@code {{item}}} and {@code {{item.field.sub}}} filled from the item. */
  static String render(String template, Object item) {
    if (item == null) throw new Problem("the item is null");
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = item;
      String[] path = m.group(1).split("\\.");
      for (int i = 1; i < path.length; i++) {
        if (!(value instanceof Map<?, ?> map) || !map.containsKey(path[i])) {
          throw new Problem("the item has no field " + String.join(".", java.util.Arrays.copyOfRange(path, 1,
              i + 1)) + " for {{" + m.group(1) + "}}");
        }
        value = map.get(path[i]);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value instanceof String s ? s : String.valueOf(
          value == null ? "null" : text(value))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
