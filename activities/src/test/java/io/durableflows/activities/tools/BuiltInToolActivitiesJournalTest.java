package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.activities.journal.JdbcCallJournal;
import io.durableflows.activities.support.TestDatabase;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Once per idempotency key, against the real {@code call_journal} table in PostgreSQL. */
class BuiltInToolActivitiesJournalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-12-01T13:31:06Z");
  private final JdbcCallJournal journal = new JdbcCallJournal(TestDatabase.dataSource());
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  /** Each read of the time is a minute later: a tool that ran again would show it. */
  private final SteppingClock clock = new SteppingClock();
  private final String runId = "run-" + UUID.randomUUID();
  private TestActivityEnvironment env;

  @AfterEach
  void tearDown() {
    if (env != null) env.close();
  }

  private ToolActivities activities(CallJournal journal) {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new BuiltInToolActivities(journal, clock));
    return env.newActivityStub(ToolActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  private ToolCall timeCall(String key) {
    return new ToolCall(runId, "node-1", "current_time", Map.of("timezone", "Europe/Paris"), key);
  }

  private static String key() {
    return "tool:" + UUID.randomUUID();
  }

  private long rowsOfThisRun() {
    return jdbc.sql("select count(*) from call_journal where run_id = ?").param(runId).query(Long.class).single();
  }

  @Test
  void call_secondTimeWithSameKey_returnsTheFirstResultAsRecorded() {
    ToolActivities tools = activities(journal);
    String key = key();

    ToolResult first = tools.call(timeCall(key));
    ToolResult second = tools.call(timeCall(key));

    assertThat(first.recorded()).isFalse();
    assertThat(second.recorded()).isTrue();
    assertThat(second.text()).isEqualTo(first.text()).isEqualTo("2026-12-01T14:31:06+01:00");
    assertThat(second.output()).isEqualTo(first.output());
  }

  @Test
  void call_secondTimeWithSameKey_doesNotRunTheToolAgain() {
    ToolActivities tools = activities(journal);
    String key = key();

    tools.call(timeCall(key));
    tools.call(timeCall(key));

    assertThat(clock.reads()).isEqualTo(1);
  }

  @Test
  void call_secondTimeWithSameKey_namesTheCurrentExecutionAndKeepsTheFirstDuration() {
    ToolActivities tools = activities(journal);
    String key = key();

    ToolResult first = tools.call(timeCall(key));
    ToolResult second = tools.call(timeCall(key));

    assertThat(second.activityId()).isNotBlank();
    assertThat(second.attempt()).isNotNegative();
    assertThat(second.durationMs()).isEqualTo(first.durationMs());
  }

  @Test
  void call_withDifferentKeys_runsTheToolEachTime() {
    ToolActivities tools = activities(journal);

    ToolResult first = tools.call(timeCall(key()));
    ToolResult second = tools.call(timeCall(key()));

    assertThat(first.recorded()).isFalse();
    assertThat(second.recorded()).isFalse();
    assertThat(second.text()).isEqualTo("2026-12-01T14:32:06+01:00").isNotEqualTo(first.text());
    assertThat(clock.reads()).isEqualTo(2);
    assertThat(rowsOfThisRun()).isEqualTo(2);
  }

  @Test
  void call_withoutKey_runsEveryTimeAndRecordsNothing() {
    ToolActivities tools = activities(journal);

    tools.call(timeCall(null));
    ToolResult second = tools.call(timeCall(null));

    assertThat(second.recorded()).isFalse();
    assertThat(clock.reads()).isEqualTo(2);
    assertThat(rowsOfThisRun()).isZero();
  }

  @Test
  void call_withKey_journalsTheCallWithItsArgumentsAndResult() {
    ToolActivities tools = activities(journal);
    String key = key();

    ToolResult result = tools.call(timeCall(key));

    var row = jdbc.sql("""
            select run_id, node_id, kind, name, activity_id, attempt, arguments::text as arguments,
              result::text as result
            from call_journal where idempotency_key = ?""").param(key).query().singleRow();
    assertThat(row).containsEntry("run_id", runId).containsEntry("node_id", "node-1").containsEntry("kind", "tool")
        .containsEntry("name", "current_time").containsEntry("activity_id", result.activityId())
        .containsEntry("attempt", result.attempt());
    assertThat(json(row.get("arguments"))).isEqualTo(json("{\"timezone\": \"Europe/Paris\"}"));
    assertThat(json(row.get("result")).path("text").asText()).isEqualTo(result.text());
    assertThat(json(row.get("result")).path("recorded").asBoolean()).isFalse();
  }

  @Test
  void call_calculatorWithSameKey_returnsTheRecordedNumber() {
    ToolActivities tools = activities(journal);
    String key = key();
    ToolCall call = new ToolCall(runId, "node-2", "calculator", Map.of("expression", "6 * 7"), key);

    tools.call(call);
    ToolResult again = tools.call(call);

    assertThat(again.recorded()).isTrue();
    assertThat(again.text()).isEqualTo("42");
    assertThat(((Number) ((Map<?, ?>) again.output()).get("result")).longValue()).isEqualTo(42);
  }

  @Test
  void call_whoseRecordLosesTheRaceToAnotherAttempt_returnsTheOtherAttemptsResult() {
    String key = key();
    // Another attempt got past find() too and recorded first: this attempt's record() meets its row.
    journal.record(new CallJournal.Entry(key, runId, "node-1", "tool", "current_time", "activity-other", 1,
        "{\"timezone\": \"Europe/Paris\"}", """
            {"output": {"iso": "2026-12-01T09:00:00+01:00"}, "text": "2026-12-01T09:00:00+01:00",
             "durationMs": 7, "activityId": "activity-other", "attempt": 1, "recorded": false}"""));
    ToolActivities tools = activities(new FindsNothing(journal));

    ToolResult result = tools.call(timeCall(key));

    assertThat(clock.reads()).isEqualTo(1);
    assertThat(result.recorded()).isTrue();
    assertThat(result.text()).isEqualTo("2026-12-01T09:00:00+01:00");
    assertThat(result.durationMs()).isEqualTo(7);
    assertThat(result.activityId()).as("the attempt that ran the tool").isEqualTo("activity-other");
  }

  @Test
  void call_withFailingTool_recordsNothingSoAFixedCallCanRun() {
    ToolActivities tools = activities(journal);
    String key = key();

    catchThrowableOfType(ActivityFailure.class, () -> tools.call(
        new ToolCall(runId, "node-1", "current_time", Map.of("timezone", "Nowhere/Special"), key)));

    assertThat(rowsOfThisRun()).isZero();
  }

  @Test
  void call_withInvalidArgumentsAndRecordedKey_stillFailsOnTheArguments() {
    ToolActivities tools = activities(journal);
    String key = key();
    tools.call(timeCall(key));

    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> tools.call(
        new ToolCall(runId, "node-1", "current_time", Map.of("zone", "UTC"), key)));

    assertThat(failure).isNotNull();
    assertThat(((ApplicationFailure) failure.getCause()).getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
  }

  private static JsonNode json(Object text) {
    try {
      return JSON.readTree((String) text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The real journal, as seen by an attempt that looked before another attempt recorded. */
  private record FindsNothing(CallJournal journal) implements CallJournal {
    @Override
    public Optional<String> find(String idempotencyKey) {
      return Optional.empty();
    }

    @Override
    public String record(Entry entry) {
      return journal.record(entry);
    }
  }

  /** Starts at {@link #START} and moves a minute on every read. */
  private static final class SteppingClock extends Clock {
    private final AtomicInteger reads = new AtomicInteger();

    int reads() {
      return reads.get();
    }

    @Override
    public Instant instant() {
      return START.plus(Duration.ofMinutes(reads.getAndIncrement()));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new Clock() {
        @Override
        public Instant instant() {
          return SteppingClock.this.instant();
        }

        @Override
        public ZoneId getZone() {
          return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
          return SteppingClock.this.withZone(other);
        }
      };
    }
  }
}
