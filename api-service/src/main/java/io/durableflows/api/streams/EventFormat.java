package io.durableflows.api.streams;

import io.durableflows.workflows.events.RunEvent;
import java.io.IOException;
import java.io.Writer;
import org.springframework.http.MediaType;

/**
 * How one streaming protocol renders a run's event log. One instance per response: formats may remember what
 * they have written (e.g. whether the answer has streamed yet).
 */
public interface EventFormat {
  /** Server-sent events unless the protocol says otherwise. */
  default MediaType contentType() {
    return eventStream();
  }

  /** Writes what this event means in the protocol; most events mean nothing to most protocols. */
  void event(RunEvent event, Writer out) throws IOException;

  /** Keeps idle connections (and proxies) from timing out: an SSE comment unless the protocol says otherwise. */
  default void heartbeat(Writer out) throws IOException {
    sseComment(out, "heartbeat");
  }

  /**
   * The stream ends before the run does (the API is shutting down): say so in the protocol's own form, so the
   * client reconnects instead of taking a cut socket for an answer.
   */
  void interrupted(Writer out) throws IOException;

  static MediaType eventStream() {
    return new MediaType("text", "event-stream", java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Writes one server-sent event; {@code event} and {@code id} may be null. */
  static void sse(Writer out, String event, String id, String data) throws IOException {
    if (id != null) out.write("id: " + id + "\n");
    if (event != null) out.write("event: " + event + "\n");
    for (String line : data.split("\n", -1)) out.write("data: " + line + "\n");
    out.write("\n");
  }

  static void sseComment(Writer out, String comment) throws IOException {
    out.write(": " + comment + "\n\n");
  }
}
