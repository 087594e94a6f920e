package io.durableflows.api.compat.flowapi;

import io.durableflows.api.streams.AnswerTracker;
import io.durableflows.api.streams.EventFormat;
import io.durableflows.api.streams.PauseEvents;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.events.RunEvent;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/** Reference 000's two streaming transports and OpenAI's chunk stream, all rendered from the run event log. */
final class FlowApiFormats {
  private FlowApiFormats() {}

  /** {@code /run/stream}: {@code data: {"choices":[{"delta":{"content":…}}]}} chunks, then {@code data: [DONE]}. */
  static final class Sse implements EventFormat {
    private final Json json;
    private final AnswerTracker answer = new AnswerTracker();
    private Object usage;

    Sse(Json json) {
      this.json = json;
    }

    @Override
    public void event(RunEvent event, Writer out) throws IOException {
      String text = answer.delta(event);
      if (text != null) content(out, text);
      Map<String, Object> pause = PauseEvents.of(event);
      if (pause != null) {
        // An empty delta keeps clients that read choices[0].delta.content working while the run waits.
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("choices", List.of(Map.of("delta", Map.of())));
        chunk.put("run_event", pause);
        EventFormat.sse(out, null, null, json.write(chunk));
      }
      switch (event.type()) {
        case RunEvent.USAGE -> usage = event.data();
        case RunEvent.ERROR -> EventFormat.sse(out, null, null, json.write(Map.of("error", error(event))));
        case RunEvent.DONE -> {
          String rest = answer.remainder(event);
          if (rest != null) content(out, rest);
          if (AnswerTracker.completed(event)) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("delta", Map.of());
            choice.put("finish_reason", "stop");
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("choices", List.of(choice));
            if (usage != null) last.put("usage", tokenUsage(usage));
            EventFormat.sse(out, null, null, json.write(last));
          }
          EventFormat.sse(out, null, null, "[DONE]");
        }
        default -> {}
      }
    }

    private void content(Writer out, String text) throws IOException {
      EventFormat.sse(out, null, null, json.write(Map.of("choices", List.of(Map.of("delta", Map.of("content", text))))));
    }

    @Override
    public void interrupted(Writer out) throws IOException {
      EventFormat.sse(out, null, null, json.write(Map.of("error", Map.of("type", "stream_interrupted",
          "message", "the server is shutting down; the run goes on: read it at /api/v1/runs/{id}/events"))));
      EventFormat.sse(out, null, null, "[DONE]");
    }
  }

  /**
   * {@code /run} with {@code "stream": true}: one JSON object per line. {@code {"type":"delta","content":…}} per
   * text delta, and last {@code {"type":"done","run_id":…,"status":…,"output":…,"usage":{…}}}; a failure is a
   * {@code {"type":"error",…}} line before it.
   */
  static final class JsonLines implements EventFormat {
    private final Json json;
    private final String runId;
    private final AnswerTracker answer = new AnswerTracker();
    private Object usage;

    JsonLines(Json json, String runId) {
      this.json = json;
      this.runId = runId;
    }

    @Override
    public MediaType contentType() {
      return MediaType.parseMediaType("application/x-ndjson");
    }

    @Override
    public void event(RunEvent event, Writer out) throws IOException {
      String text = answer.delta(event);
      if (text != null) line(out, delta(text));
      Map<String, Object> pause = PauseEvents.of(event);
      if (pause != null) line(out, pause);
      switch (event.type()) {
        case RunEvent.USAGE -> usage = event.data();
        case RunEvent.ERROR -> {
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("type", "error");
          error.putAll(error(event));
          line(out, error);
        }
        case RunEvent.DONE -> {
          String rest = answer.remainder(event);
          if (rest != null) line(out, delta(rest));
          Map<String, Object> done = new LinkedHashMap<>();
          done.put("type", "done");
          done.put("run_id", runId);
          done.put("status", event.data().get("status"));
          done.put("output", event.data().get("output"));
          done.put("usage", usage == null ? null : tokenUsage(usage));
          line(out, done);
        }
        default -> {}
      }
    }

    private static Map<String, Object> delta(String text) {
      Map<String, Object> delta = new LinkedHashMap<>();
      delta.put("type", "delta");
      delta.put("content", text);
      return delta;
    }

    private void line(Writer out, Object value) throws IOException {
      out.write(json.write(value));
      out.write("\n");
    }

    @Override
    public void heartbeat(Writer out) throws IOException {
      line(out, Map.of("type", "heartbeat"));
    }

    @Override
    public void interrupted(Writer out) throws IOException {
      line(out, Map.of("type", "error", "error", "stream_interrupted", "run_id", runId,
          "message", "the server is shutting down; the run goes on: read it at /api/v1/runs/" + runId + "/events"));
    }
  }

  /** OpenAI's {@code chat.completion.chunk} stream, as the official clients parse it. */
  static final class OpenAiChunks implements EventFormat {
    private final Json json;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final AnswerTracker answer = new AnswerTracker();
    private boolean roleSent;
    private Object usage;

    OpenAiChunks(Json json, String id, long created, String model, boolean includeUsage) {
      this.json = json;
      this.id = id;
      this.created = created;
      this.model = model;
      this.includeUsage = includeUsage;
    }

    @Override
    public void event(RunEvent event, Writer out) throws IOException {
      if (!roleSent && RunEvent.RUN_STARTED.equals(event.type())) {
        roleSent = true;
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("role", "assistant");
        delta.put("content", "");
        chunk(out, delta, null);
      }
      String text = answer.delta(event);
      if (text != null) chunk(out, Map.of("content", text), null);
      Map<String, Object> pause = PauseEvents.of(event);
      if (pause != null) {
        // OpenAI clients ignore fields they do not know: an empty delta carries why the run pauses.
        Map<String, Object> chunk = chunk(Map.of(), null);
        chunk.put("run_event", pause);
        EventFormat.sse(out, null, null, json.write(chunk));
      }
      switch (event.type()) {
        case RunEvent.USAGE -> usage = event.data();
        case RunEvent.ERROR -> {
          Map<String, Object> error = new LinkedHashMap<>();
          Map<String, Object> detail = error(event);
          error.put("message", detail.get("message"));
          error.put("type", detail.get("error"));
          error.put("code", detail.get("error"));
          EventFormat.sse(out, null, null, json.write(Map.of("error", error)));
        }
        case RunEvent.DONE -> {
          String rest = answer.remainder(event);
          if (rest != null) chunk(out, Map.of("content", rest), null);
          if (AnswerTracker.completed(event)) {
            chunk(out, Map.of(), "stop");
            if (includeUsage) {
              Map<String, Object> last = envelope();
              last.put("choices", List.of());
              last.put("usage", usage == null ? null : tokenUsage(usage));
              EventFormat.sse(out, null, null, json.write(last));
            }
          }
          EventFormat.sse(out, null, null, "[DONE]");
        }
        default -> {}
      }
    }

    private Map<String, Object> envelope() {
      Map<String, Object> chunk = new LinkedHashMap<>();
      chunk.put("id", id);
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", created);
      chunk.put("model", model);
      return chunk;
    }

    private void chunk(Writer out, Map<String, Object> delta, String finishReason) throws IOException {
      EventFormat.sse(out, null, null, json.write(chunk(delta, finishReason)));
    }

    private Map<String, Object> chunk(Map<String, Object> delta, String finishReason) {
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("index", 0);
      choice.put("delta", delta);
      choice.put("logprobs", null);
      choice.put("finish_reason", finishReason);
      Map<String, Object> chunk = envelope();
      chunk.put("choices", List.of(choice));
      return chunk;
    }

    @Override
    public void interrupted(Writer out) throws IOException {
      EventFormat.sse(out, null, null, json.write(Map.of("error", Map.of("type", "stream_interrupted",
          "code", "stream_interrupted", "message", "the server is shutting down; the run goes on"))));
      EventFormat.sse(out, null, null, "[DONE]");
    }
  }

  /** A run error as {@code {error, message}} with the API's error codes. */
  static Map<String, Object> error(RunEvent event) {
    Map<String, Object> data = event.data();
    String type = data == null ? null : (String) data.get("error");
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("error", errorCode(type));
    error.put("message", data == null ? "the run failed" : data.get("message"));
    return error;
  }

  /** Same mapping as blocking runs: provider failures are provider_error, the rest run_failed or as named. */
  static String errorCode(String failureType) {
    if (failureType == null) return "run_failed";
    if (io.durableflows.workflows.llm.LlmFailures.ALL.contains(failureType)) return "provider_error";
    if (failureType.equals("cancelled") || failureType.equals("run_lost")) return failureType;
    return "run_failed";
  }

  /** OpenAI's usage object from a {@code usage} event. */
  static Map<String, Object> tokenUsage(Object usageEvent) {
    Map<?, ?> u = (Map<?, ?>) usageEvent;
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", u.get("prompt_tokens"));
    usage.put("completion_tokens", u.get("completion_tokens"));
    usage.put("total_tokens", u.get("total_tokens"));
    return usage;
  }
}
