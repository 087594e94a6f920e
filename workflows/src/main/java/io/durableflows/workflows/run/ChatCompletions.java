package io.durableflows.workflows.run;

import io.durableflows.workflows.llm.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAI {@code chat.completion} object, as reference 000 documents it. */
public final class ChatCompletions {
  private ChatCompletions() {}

  public static Map<String, Object> of(String id, long created, String model, String content, String finishReason,
      Usage usage) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", content);
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", finishReason);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("object", "chat.completion");
    body.put("created", created);
    body.put("model", model);
    body.put("choices", List.of(choice));
    body.put("usage", usage.fields());
    return body;
  }

  /** Maps a provider's finish reason onto OpenAI's vocabulary. */
  public static String finishReason(String reason) {
    if (reason == null) return "stop";
    return switch (reason.toLowerCase()) {
      case "length" -> "length";
      case "content_filter" -> "content_filter";
      default -> "stop";
    };
  }
}
