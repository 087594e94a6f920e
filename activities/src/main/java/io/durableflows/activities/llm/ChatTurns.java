package io.durableflows.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.durableflows.workflows.llm.ChatMessage.ToolRequest;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.ToolFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An agent turn in langchain4j's terms and back: our messages and tools to a request, tool calls from a response. */
final class ChatTurns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChatTurns() {}

  static ChatRequest request(LlmChatCall call, String model) {
    List<ChatMessage> messages = new ArrayList<>();
    for (var m : call.messages()) messages.add(message(m));
    ChatRequest.Builder builder = ChatRequest.builder()
        .messages(messages)
        .modelName(model)
        .temperature(call.temperature())
        .maxOutputTokens(call.maxTokens());
    if (!call.tools().isEmpty()) builder.toolSpecifications(call.tools().stream().map(ChatTurns::tool).toList());
    return builder.build();
  }

  private static ChatMessage message(io.durableflows.workflows.llm.ChatMessage m) {
    String content = m.content() == null ? "" : m.content();
    return switch (m.role()) {
      case io.durableflows.workflows.llm.ChatMessage.SYSTEM -> SystemMessage.from(content);
      case io.durableflows.workflows.llm.ChatMessage.ASSISTANT -> m.toolCalls().isEmpty()
          ? AiMessage.from(content)
          : AiMessage.from(content.isEmpty() ? null : content, m.toolCalls().stream()
              .map(t -> ToolExecutionRequest.builder().id(t.id()).name(t.name()).arguments(t.arguments()).build())
              .toList());
      case io.durableflows.workflows.llm.ChatMessage.TOOL ->
          ToolExecutionResultMessage.from(m.toolCallId(), m.name(), content);
      default -> UserMessage.from(content.isEmpty() ? " " : content);
    };
  }

  /**
   * Top-level properties pass through as raw JSON Schema, so whatever a tool's schema says (enums, nested
   * objects, formats) reaches the provider unchanged.
   */
  @SuppressWarnings("unchecked")
  static ToolSpecification tool(ToolFunction f) {
    Map<String, Object> schema = f.parameters() == null ? Map.of() : f.parameters();
    JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
    if (schema.get("description") instanceof String d) parameters.description(d);
    if (schema.get("properties") instanceof Map<?, ?> properties) {
      for (var p : ((Map<String, Object>) properties).entrySet()) {
        parameters.addProperty(p.getKey(), JsonRawSchema.from(write(p.getValue())));
      }
    }
    if (schema.get("required") instanceof List<?> required) {
      parameters.required(required.stream().map(String::valueOf).toList());
    }
    if (schema.get("additionalProperties") instanceof Boolean additional) parameters.additionalProperties(additional);
    return ToolSpecification.builder().name(f.name()).description(f.description()).parameters(parameters.build())
        .build();
  }

  static List<ToolRequest> toolRequests(ChatResponse response) {
    if (response.aiMessage() == null || !response.aiMessage().hasToolExecutionRequests()) return List.of();
    List<ToolRequest> out = new ArrayList<>();
    for (ToolExecutionRequest r : response.aiMessage().toolExecutionRequests()) {
      out.add(new ToolRequest(r.id(), r.name(), r.arguments()));
    }
    return out;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a tool schema that is not JSON", e);
    }
  }
}
