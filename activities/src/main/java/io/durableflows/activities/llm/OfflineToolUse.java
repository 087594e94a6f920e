package io.durableflows.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the offline model drives an agent's tool loop, by fixed rules so the examples run with no API key: asked
 * for arithmetic it calls {@code calculator}, for the time or date {@code current_time}, and any other offered
 * tool whose name the user's message mentions (sub-agents included); once the tools have answered, it answers
 * with what they returned.
 */
final class OfflineToolUse {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Two numbers joined by an operator, with whatever parentheses and further terms surround them. */
  private static final Pattern ARITHMETIC = Pattern.compile(
      "[(\\s]*(?:sqrt\\s*)?\\(?\\s*-?\\d+(?:\\.\\d+)?(?:\\s*[-+*/%^×÷]\\s*\\(*\\s*-?\\d+(?:\\.\\d+)?\\s*\\)*)+");
  private static final Pattern TIME = Pattern.compile("\\b(time|date|today|now|clock)\\b", Pattern.CASE_INSENSITIVE);

  private OfflineToolUse() {}

  /** The offline model's tool-using turn, or empty when it answers as it always does. */
  static Optional<AiMessage> turn(ChatRequest request) {
    List<ToolSpecification> tools = request.toolSpecifications() == null ? List.of() : request.toolSpecifications();
    if (tools.isEmpty()) return Optional.empty();
    List<ChatMessage> messages = request.messages();
    int lastUser = -1;
    for (int i = 0; i < messages.size(); i++) if (messages.get(i) instanceof UserMessage) lastUser = i;
    List<ToolExecutionResultMessage> results = new ArrayList<>();
    for (int i = lastUser + 1; i < messages.size(); i++) {
      if (messages.get(i) instanceof ToolExecutionResultMessage r) results.add(r);
    }
    if (!results.isEmpty()) return Optional.of(AiMessage.from(answer(results)));
    String text = lastUser < 0 ? "" : ((UserMessage) messages.get(lastUser)).singleText();
    List<ToolExecutionRequest> calls = new ArrayList<>();
    for (ToolSpecification tool : tools) {
      arguments(tool, text).ifPresent(args -> calls.add(ToolExecutionRequest.builder()
          .id("call_" + (calls.size() + 1) + "_" + tool.name()).name(tool.name()).arguments(args).build()));
    }
    return calls.isEmpty() ? Optional.empty() : Optional.of(AiMessage.from(calls));
  }

  private static Optional<String> arguments(ToolSpecification tool, String text) {
    switch (tool.name()) {
      case "calculator" -> {
        Matcher m = ARITHMETIC.matcher(text);
        if (!m.find()) return Optional.empty();
        String expression = m.group().strip().replace('×', '*').replace('÷', '/');
        return Optional.of(write(Map.of("expression", expression)));
      }
      case "current_time" -> {
        return TIME.matcher(text).find() ? Optional.of("{}") : Optional.empty();
      }
      default -> {
        String lower = text.toLowerCase(Locale.ROOT);
        String name = tool.name().toLowerCase(Locale.ROOT);
        if (!lower.contains(name) && !lower.contains(name.replace('_', ' ').replace('-', ' '))) {
          return Optional.empty();
        }
        return Optional.of(write(fill(tool, text)));
      }
    }
  }

  /** Every required string argument (or the first string argument when none is required) gets the message. */
  private static Map<String, Object> fill(ToolSpecification tool, String text) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (tool.parameters() == null) return args;
    Map<String, JsonSchemaElement> properties = tool.parameters().properties();
    List<String> required = tool.parameters().required() == null ? List.of() : tool.parameters().required();
    for (var p : properties.entrySet()) {
      if ((required.isEmpty() ? args.isEmpty() : required.contains(p.getKey())) && isString(p.getValue())) {
        args.put(p.getKey(), text);
      }
    }
    return args;
  }

  private static boolean isString(JsonSchemaElement e) {
    return e instanceof JsonStringSchema || e instanceof JsonRawSchema raw && raw.schema().contains("\"string\"");
  }

  private static String answer(List<ToolExecutionResultMessage> results) {
    StringBuilder out = new StringBuilder();
    for (ToolExecutionResultMessage r : results) {
      if (!out.isEmpty()) out.append(' ');
      String result = r.text() == null ? "" : r.text().strip();
      out.append(switch (r.toolName()) {
        case "calculator" -> "The result is " + result + ".";
        case "current_time" -> "The current time is " + result + ".";
        default -> r.toolName() + " answered: " + result;
      });
    }
    return out.toString();
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
