package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.journal.CallJournal;
import io.durableflows.workflows.tools.BuiltInTools;
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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code ToolCall} activity as Temporal runs it, without a journal: dispatch, argument checks, typed failures. */
class BuiltInToolActivitiesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T13:31:06Z");
  private TestActivityEnvironment env;
  private ToolActivities activities;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new BuiltInToolActivities(CallJournal.NONE, Clock.fixed(NOW, ZoneOffset.UTC)));
    activities = env.newActivityStub(ToolActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static ToolCall call(String tool, Map<String, Object> arguments) {
    return new ToolCall("run-1", "node-1", tool, arguments, null);
  }

  private ApplicationFailure failureOf(ToolCall call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> activities.call(call));
    assertThat(failure).as("call(...) should fail").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.isNonRetryable()).isTrue();
    return cause;
  }

  // ------------------------------------------------------------------------------------------ success

  @Test
  void call_calculator_returnsOutputAndText() {
    ToolResult result = activities.call(call("calculator", Map.of("expression", "(12.5 + 7) * 3")));

    assertThat(result.output()).isEqualTo(Map.of("expression", "(12.5 + 7) * 3", "result", 58.5));
    assertThat(result.text()).isEqualTo("58.5");
  }

  @Test
  void call_namesTheActivityExecutionAndIsNotRecorded() {
    ToolResult result = activities.call(call("calculator", Map.of("expression", "1 + 1")));

    assertThat(result.activityId()).isNotBlank();
    // The test environment numbers attempts from 0 where the server starts at 1.
    assertThat(result.attempt()).isNotNegative();
    assertThat(result.recorded()).isFalse();
    assertThat(result.durationMs()).isNotNegative();
  }

  @Test
  void call_currentTime_readsTheInjectedClock() {
    ToolResult result = activities.call(call("current_time", Map.of("timezone", "Europe/Paris")));

    assertThat(result.text()).isEqualTo("2026-12-01T14:31:06+01:00");
  }

  @Test
  void call_withNullArguments_checksThemAsAnEmptyObject() {
    ToolResult result = activities.call(call("current_time", null));

    assertThat(result.text()).isEqualTo("2026-12-01T13:31:06Z");
  }

  @Test
  void call_jsonPath_returnsTheValue() {
    ToolResult result = activities.call(call("json_path",
        Map.of("json", Map.of("items", List.of(Map.of("name", "apple"))), "path", "$.items[0].name")));

    assertThat(result.output()).isEqualTo(Map.of("path", "$.items[0].name", "value", "apple"));
    assertThat(result.text()).isEqualTo("apple");
  }

  // ------------------------------------------------------------------------------------------ typed failures

  @Test
  void call_withUnknownTool_failsUnknownToolListingTheBuiltIns() {
    ApplicationFailure failure = failureOf(call("web_search", Map.of("q", "x")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.UNKNOWN_TOOL);
    assertThat(failure.getOriginalMessage()).contains("unknown tool 'web_search'")
        .contains(String.join(", ", BuiltInTools.names()));
  }

  @Test
  void call_withMissingRequiredArgument_failsInvalidArgumentsNamingIt() {
    ApplicationFailure failure = failureOf(call("calculator", Map.of()));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).startsWith("invalid arguments for calculator: ").contains("expression");
  }

  @Test
  void call_withUnexpectedArgument_failsInvalidArguments() {
    ApplicationFailure failure = failureOf(call("current_time", Map.of("timezone", "UTC", "format", "unix")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("format");
  }

  @Test
  void call_withWrongArgumentType_failsInvalidArguments() {
    ApplicationFailure failure = failureOf(call("calculator", Map.of("expression", 42)));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("expression").contains("string");
  }

  @Test
  void call_withSeveralViolations_listsThemAll() {
    ApplicationFailure failure = failureOf(call("json_path", Map.of("path", "items", "extra", 1)));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("json").contains("extra").contains("path").contains("; ");
  }

  @Test
  void call_withPathNotStartingWithDollar_failsInvalidArgumentsFromTheSchema() {
    ApplicationFailure failure = failureOf(call("json_path", Map.of("json", Map.of(), "path", "items[0]")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).startsWith("invalid arguments for json_path: ").contains("path");
  }

  @Test
  void call_withMalformedExpression_failsInvalidArguments() {
    ApplicationFailure failure = failureOf(call("calculator", Map.of("expression", "2 * (3 +")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("position 9");
  }

  @Test
  void call_withDivisionByZero_failsToolError() {
    ApplicationFailure failure = failureOf(call("calculator", Map.of("expression", "1 / 0")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.TOOL_ERROR);
    assertThat(failure.getOriginalMessage()).isEqualTo("division by zero at position 3");
  }

  @Test
  void call_withNoValueAtPath_failsToolError() {
    ApplicationFailure failure = failureOf(call("json_path", Map.of("json", Map.of("a", 1), "path", "$.b")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.TOOL_ERROR);
    assertThat(failure.getOriginalMessage()).startsWith("no value at path $.b");
  }

  @Test
  void call_withUnknownTimezone_failsInvalidArguments() {
    ApplicationFailure failure = failureOf(call("current_time", Map.of("timezone", "Nowhere/Special")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("Nowhere/Special");
  }

  @Test
  void nonRetryableFailureTypes_areAllDeclaredNonRetryable() {
    assertThat(ToolFailures.NON_RETRYABLE).containsExactlyInAnyOrder(
        ToolFailures.INVALID_ARGUMENTS, ToolFailures.UNKNOWN_TOOL, ToolFailures.TOOL_ERROR,
        ToolFailures.INVALID_DEFINITION, ToolFailures.HTTP_TOOL_ERROR, ToolFailures.TOOL_BLOCKED,
        ToolFailures.SECRET_NOT_FOUND);
    assertThat(ToolFailures.NON_RETRYABLE).doesNotContain(ToolFailures.HTTP_TOOL_UNAVAILABLE);
  }
}
