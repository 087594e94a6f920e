package io.durableflows.api.compat.agentchat;

import io.durableflows.api.streams.AnswerTracker;
import io.durableflows.api.streams.EventFormat;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.events.RunEvent;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reference 003's SSE: {@code status} (thinking, tool_start, tool_done; awaiting_approval and awaiting_input while
 * the turn waits for a person, with what to answer and where), {@code message} (a JSON string per token
 * delta), {@code ui_blocks}, {@code done} (final text and tool list) and last {@code flow_meta} with the balance
 * after the run's cost was settled. A failed run ends with {@code error} then {@code flow_meta}.
 */
final class AgentChatFormat implements EventFormat {
  private final Json json;
  private final Supplier<String> balance;
  private final AnswerTracker answer = new AnswerTracker();
  private final List<String> tools = new ArrayList<>();

  AgentChatFormat(Json json, Supplier<String> balance) {
    this.json = json;
    this.balance = balance;
  }

  @Override
  public void event(RunEvent event, Writer out) throws IOException {
    String text = answer.delta(event);
    if (text != null) EventFormat.sse(out, "message", null, json.write(text));
    Map<String, Object> data = event.data() == null ? Map.of() : event.data();
    switch (event.type()) {
      case RunEvent.RUN_STARTED -> status(out, "thinking", null);
      case RunEvent.TOOL_CALL -> {
        String tool = String.valueOf(data.get("name"));
        tools.add(tool);
        status(out, "tool_start", tool);
      }
      case RunEvent.TOOL_RESULT -> {
        String tool = String.valueOf(data.get("name"));
        status(out, "tool_done", tool);
        if (data.get("ui_blocks") != null) {
          EventFormat.sse(out, "ui_blocks", null, json.write(Map.of("tool", tool, "blocks", data.get("ui_blocks"))));
        }
      }
      case RunEvent.APPROVAL_REQUIRED, RunEvent.QUESTION -> {
        Map<String, Object> waiting = new LinkedHashMap<>();
        waiting.put("state", RunEvent.QUESTION.equals(event.type()) ? "awaiting_input" : "awaiting_approval");
        waiting.putAll(data);
        EventFormat.sse(out, "status", null, json.write(waiting));
      }
      case RunEvent.APPROVAL_RESOLVED, RunEvent.QUESTION_ANSWERED -> {
        Map<String, Object> resumed = new LinkedHashMap<>();
        resumed.put("state", "thinking");
        resumed.putAll(data);
        EventFormat.sse(out, "status", null, json.write(resumed));
      }
      case RunEvent.ERROR -> {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", data.get("error"));
        error.put("message", data.get("message"));
        EventFormat.sse(out, "error", null, json.write(error));
      }
      case RunEvent.DONE -> {
        if (AnswerTracker.completed(event)) {
          String rest = answer.remainder(event);
          if (rest != null) EventFormat.sse(out, "message", null, json.write(rest));
          String finalText = data.get("text") instanceof String s ? s : "";
          Map<String, Object> done = new LinkedHashMap<>();
          done.put("text", finalText);
          done.put("content", finalText);
          done.put("tools", tools);
          EventFormat.sse(out, "done", null, json.write(done));
        }
        // The run's outcome (and with it the settlement) is in PostgreSQL before its done event exists.
        EventFormat.sse(out, "flow_meta", null, json.write(Map.of("balance_remaining", balance.get())));
      }
      default -> {}
    }
  }

  private void status(Writer out, String state, String tool) throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", state);
    if (tool != null) data.put("tool", tool);
    EventFormat.sse(out, "status", null, json.write(data));
  }

  @Override
  public void interrupted(Writer out) throws IOException {
    EventFormat.sse(out, "error", null, json.write(Map.of("error", "stream_interrupted",
        "message", "the server is shutting down; the turn goes on and is kept in the chat history")));
  }
}
