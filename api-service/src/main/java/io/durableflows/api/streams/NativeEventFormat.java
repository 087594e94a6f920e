package io.durableflows.api.streams;

import io.durableflows.api.support.Json;
import io.durableflows.workflows.events.RunEvent;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run event log as it is: {@code id:} is the sequence number (what {@code Last-Event-ID} resumes from),
 * {@code event:} the event type, {@code data:} the event as JSON ({@code seq}, {@code type}, {@code node},
 * {@code data}).
 */
public final class NativeEventFormat implements EventFormat {
  private final Json json;

  public NativeEventFormat(Json json) {
    this.json = json;
  }

  @Override
  public void event(RunEvent event, Writer out) throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("seq", event.seq());
    data.put("type", event.type());
    data.put("node", event.node());
    data.put("data", event.data());
    EventFormat.sse(out, event.type(), Long.toString(event.seq()), json.write(data));
  }

  @Override
  public void interrupted(Writer out) throws IOException {
    EventFormat.sse(out, "interrupted", null,
        "{\"message\":\"the server is shutting down; reconnect with Last-Event-ID to resume\"}");
  }
}
