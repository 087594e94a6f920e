package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurrentTimeToolTest {
  /** A Tuesday, in winter time in Europe. */
  private static final Instant NOW = Instant.parse("2026-12-01T13:31:06.789Z");
  private static final long NOW_SECONDS = NOW.getEpochSecond();
  private final CurrentTimeTool tool = new CurrentTimeTool(Clock.fixed(NOW, ZoneId.of("Asia/Tokyo")));

  private Map<?, ?> output(Map<String, Object> arguments) {
    return (Map<?, ?>) tool.run(arguments).output();
  }

  @Test
  void run_withoutTimezone_givesUtcWhateverTheClocksZone() {
    assertThat(output(Map.of())).isEqualTo(Map.of(
        "timezone", "UTC", "iso", "2026-12-01T13:31:06Z", "epoch_seconds", NOW_SECONDS, "weekday", "Tuesday"));
  }

  @Test
  void run_textIsTheIsoString() {
    Tool.Output out = tool.run(Map.of("timezone", "Europe/Paris"));

    assertThat(out.text()).isEqualTo(((Map<?, ?>) out.output()).get("iso")).isEqualTo("2026-12-01T14:31:06+01:00");
  }

  @Test
  void run_withTimezone_givesLocalTimeWithItsOffsetAndTheSameInstant() {
    Map<?, ?> output = output(Map.of("timezone", "America/New_York"));

    assertThat(output.get("timezone")).isEqualTo("America/New_York");
    assertThat(output.get("iso")).isEqualTo("2026-12-01T08:31:06-05:00");
    assertThat(output.get("epoch_seconds")).isEqualTo(NOW_SECONDS);
  }

  @Test
  void run_inSummer_usesTheSummerOffset() {
    CurrentTimeTool summer = new CurrentTimeTool(Clock.fixed(Instant.parse("2026-07-14T10:00:00Z"), ZoneId.of("UTC")));

    assertThat(summer.run(Map.of("timezone", "Europe/Paris")).text()).isEqualTo("2026-07-14T12:00:00+02:00");
  }

  @Test
  void run_withZoneAcrossTheDateLine_givesItsOwnDateAndWeekday() {
    Map<?, ?> output = output(Map.of("timezone", "Pacific/Auckland"));

    assertThat(output.get("iso")).isEqualTo("2026-12-02T02:31:06+13:00");
    assertThat(output.get("weekday")).isEqualTo("Wednesday");
  }

  @Test
  void run_withHalfHourOffsetZone_givesThatOffset() {
    assertThat(tool.run(Map.of("timezone", "Asia/Kolkata")).text()).isEqualTo("2026-12-01T19:01:06+05:30");
  }

  @Test
  void run_truncatesToTheSecond() {
    assertThat(tool.run(Map.of()).text()).doesNotContain(".789");
  }

  @Test
  void run_withZoneInWrongCase_acceptsItAndGivesItsIanaName() {
    assertThat(output(Map.of("timezone", "europe/paris")).get("timezone")).isEqualTo("Europe/Paris");
  }

  @Test
  void run_withUtcOffset_acceptsIt() {
    assertThat(tool.run(Map.of("timezone", "+03:00")).text()).isEqualTo("2026-12-01T16:31:06+03:00");
  }

  @Test
  void run_withUnknownZone_failsInvalidArgumentsNamingIt() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> tool.run(Map.of("timezone", "Mars/Olympus_Mons")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("unknown time zone 'Mars/Olympus_Mons'").contains("IANA");
  }

  @Test
  void run_withAbbreviation_failsInvalidArguments() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> tool.run(Map.of("timezone", "CEST")));

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
  }
}
