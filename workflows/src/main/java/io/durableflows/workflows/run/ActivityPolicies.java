package io.durableflows.workflows.run;

import io.durableflows.workflows.evals.EvalFailures;
import io.durableflows.workflows.experiments.ExperimentFailures;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Options and retry policies of every activity kind, in one place. */
public final class ActivityPolicies {
  /**
   * Model calls: provider 4xx and bad configuration fail at once; 408/429/5xx/timeouts back off (a 429's
   * Retry-After replaces the backoff through the failure's next-retry delay). The activity heartbeats several
   * times a second while it waits for or streams from the model (the workers send at most one heartbeat per
   * throttle interval), so a cancelled run reaches the call within about a second, and a dead worker is noticed
   * in 10 s, not 5 min.
   */
  public static final ActivityOptions LLM = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setHeartbeatTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(4)
          .setDoNotRetry(LlmFailures.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  /**
   * One completion item ({@code Complete}): a single blocking model call, retried like {@link #LLM} (provider 4xx
   * and bad configuration at once, 408/429/5xx/timeouts with backoff and Retry-After). It does not stream, so it
   * has no heartbeat timeout; start-to-close bounds a hung provider instead.
   */
  public static final ActivityOptions COMPLETION = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(4)
          .setDoNotRetry(LlmFailures.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  /**
   * Tool calls: a bad argument or a tool's own error fails at once; anything else (a database hiccup while the
   * call is journaled) is retried. Each call is journaled by its idempotency key, so a retry never repeats a call
   * that already ran.
   */
  public static final ActivityOptions TOOL = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(5)
          .setDoNotRetry(ToolFailures.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  /**
   * Evaluations: a broken evaluator, a judge's provider refusal or a judge reply without a score fail at once;
   * a rate-limited or unavailable judge backs off as model calls do (Retry-After honoured the same way). Every other
   * kind is pure computation that ends at once.
   */
  public static final ActivityOptions EVAL = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(4)
          .setDoNotRetry(EvalFailures.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  /**
   * Writes to PostgreSQL: short and idempotent, so a local activity (no task-queue round trip per run), retried
   * until the database is back.
   */
  public static final LocalActivityOptions STORE = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .build())
      .build();

  /** How many times a batch chunk runs before its remaining items are recorded failed. */
  public static final int BATCH_CHUNK_ATTEMPTS = 3;

  /**
   * Batch chunks: one activity runs several items of a batch (one activity per item cannot reach hundreds of items
   * a second). It heartbeats every second while its items run, so a dead worker is noticed in 10 s and a cancelled
   * batch stops its chunks; a retry skips the items already recorded. After the last attempt the items left are
   * recorded failed, not the batch.
   */
  public static final ActivityOptions BATCH_CHUNK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(BATCH_CHUNK_ATTEMPTS)
          .build())
      .build();

  /**
   * An experiment's reads and writes: local like {@link #STORE} and retried until the database is back, except a
   * row that cannot be prepared (its input does not fit the flow, its release is gone), which fails at once.
   */
  public static final LocalActivityOptions EXPERIMENT_STORE = LocalActivityOptions.newBuilder(STORE)
      .setRetryOptions(RetryOptions.newBuilder(STORE.getRetryOptions())
          .setDoNotRetry(ExperimentFailures.NON_RETRYABLE.toArray(String[]::new))
          .build())
      .build();

  private ActivityPolicies() {}

  /** How a model call's summary names its target: the provider (or the default one) and the model, if set. */
  public static String modelTarget(String provider, String model) {
    return (provider == null ? "default provider" : provider) + (model == null ? "" : " · " + model);
  }

  public static ActivityOptions llm(String summary) {
    return ActivityOptions.newBuilder(LLM).setSummary(summary).build();
  }

  public static ActivityOptions tool(String summary) {
    return ActivityOptions.newBuilder(TOOL).setSummary(summary).build();
  }

  public static ActivityOptions eval(String summary) {
    return ActivityOptions.newBuilder(EVAL).setSummary(summary).build();
  }

  public static ActivityOptions batchChunk(String summary) {
    return ActivityOptions.newBuilder(BATCH_CHUNK).setSummary(summary).build();
  }

  public static LocalActivityOptions experimentStore(String summary) {
    return LocalActivityOptions.newBuilder(EXPERIMENT_STORE).setSummary(summary).build();
  }

  public static LocalActivityOptions store(String summary) {
    return LocalActivityOptions.newBuilder(STORE).setSummary(summary).build();
  }
}
