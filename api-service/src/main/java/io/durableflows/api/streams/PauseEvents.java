package io.durableflows.api.streams;

import io.durableflows.workflows.events.RunEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Why a run paused and how the pause ended, for protocols that have no event types of their own (000's chunks,
 * JSON Lines, OpenAI chunks): {@code {"type": "approval_required", "approval_id": …, "respond_url": …}}.
 */
public final class PauseEvents {
  private static final Set<String> TYPES = Set.of(RunEvent.APPROVAL_REQUIRED, RunEvent.APPROVAL_RESOLVED,
      RunEvent.QUESTION, RunEvent.QUESTION_ANSWERED);

  private PauseEvents() {}

  /** The event as the client sees it, or null when it is not about a pause. */
  public static Map<String, Object> of(RunEvent event) {
    if (!TYPES.contains(event.type())) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", event.type());
    out.put("node", event.node());
    if (event.data() != null) out.putAll(event.data());
    return out;
  }
}
