package io.durableflows.workflows.llm;

import java.util.List;

/**
 * One message of a conversation sent to a model: {@code system}, {@code user}, {@code assistant} (with the tool
 * calls it asked for, if any) or {@code tool} (a tool's answer to the call {@code toolCallId}).
 */
public record ChatMessage(String role, String content, List<ToolRequest> toolCalls, String toolCallId, String name) {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  public ChatMessage {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(SYSTEM, content, null, null, null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(USER, content, null, null, null);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(ASSISTANT, content, null, null, null);
  }

  public static ChatMessage assistant(String content, List<ToolRequest> toolCalls) {
    return new ChatMessage(ASSISTANT, content, toolCalls, null, null);
  }

  public static ChatMessage tool(String toolCallId, String name, String content) {
    return new ChatMessage(TOOL, content, null, toolCallId, name);
  }

  /**
   * A tool call a model asked for. {@code arguments} is the raw JSON text the model wrote, which may not parse:
   * the agent loop answers a malformed call back to the model instead of failing.
   */
  public record ToolRequest(String id, String name, String arguments) {}
}
