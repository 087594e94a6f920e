package io.durableflows.workflows.llm;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface LlmActivities {
  /**
   * Calls the model. Fails with an {@code ApplicationFailure} whose type is one of {@link LlmFailures}: the
   * non-retryable ones for requests the provider will never accept.
   */
  @ActivityMethod(name = "LlmComplete")
  LlmReply complete(LlmCall call);

  /**
   * One turn of an agent's conversation, offering the model tools. Fails like {@link #complete}; a retry of a
   * turn whose answer was journaled returns that answer.
   */
  @ActivityMethod(name = "LlmChat")
  LlmChatReply chat(LlmChatCall call);
}
