package io.durableflows.activities.journal;

import java.util.Optional;

/**
 * Side effects of activities, once per idempotency key. An activity asks {@link #find} before it calls the world
 * on a retry, and {@link #record}s what the call returned as soon as it has it: if the worker dies after the
 * call but before Temporal hears of it, the next attempt returns the recorded result instead of calling (and
 * paying) again.
 */
public interface CallJournal {
  /** What an earlier attempt of this call recorded (JSON), if any. */
  Optional<String> find(String idempotencyKey);

  /** Records a finished call; returns the result that stands (an earlier attempt's, if it got there first). */
  String record(Entry entry);

  /** One finished call: {@code kind} is llm or tool, {@code name} the tool or provider/model. JSON as text. */
  record Entry(String idempotencyKey, String runId, String nodeId, String kind, String name, String activityId,
      int attempt, String argumentsJson, String resultJson) {}

  /** Records nothing: for activities that run without a database (tests, tools that need no journal). */
  CallJournal NONE = new CallJournal() {
    @Override
    public Optional<String> find(String idempotencyKey) {
      return Optional.empty();
    }

    @Override
    public String record(Entry entry) {
      return entry.resultJson();
    }
  };
}
