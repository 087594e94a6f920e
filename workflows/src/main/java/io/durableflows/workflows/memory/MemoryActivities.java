package io.durableflows.workflows.memory;

import io.durableflows.workflows.llm.ChatMessage;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** A session's conversation history, and the model call that condenses it. */
@ActivityInterface
public interface MemoryActivities {
  /**
   * The conversation's messages, oldest first, at most {@code limit} of the newest: a summary left by the last
   * compaction first (as a system message), then the user and assistant messages after it. An unknown session
   * has an empty history.
   */
  @ActivityMethod(name = "LoadHistory")
  List<ChatMessage> loadHistory(String orgCode, String sessionId, int limit);

  /** Summarises (or titles) messages with one model call; fails with the LLM activity's failure types. */
  @ActivityMethod(name = "SummarizeHistory")
  Summary summarize(SummaryRequest request);
}
