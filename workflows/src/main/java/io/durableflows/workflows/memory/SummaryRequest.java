package io.durableflows.workflows.memory;

import io.durableflows.workflows.llm.ChatMessage;
import java.util.List;

/**
 * A model call that condenses messages: {@code kind} {@link #SUMMARY} (a compaction: the summary replaces the
 * messages in later prompts) or {@link #TITLE} (a short conversation title). A null provider or model means the
 * worker's default. {@code runId} and {@code nodeId} only name the call in logs (null outside runs).
 */
public record SummaryRequest(String runId, String nodeId, String kind, String provider, String model,
    List<ChatMessage> messages) {
  public static final String SUMMARY = "summary";
  public static final String TITLE = "title";

  public SummaryRequest {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
