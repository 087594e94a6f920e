package io.durableflows.activities.tools;

import static io.durableflows.activities.tools.Tool.invalidArguments;

import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolSpec;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code current_time}: {@code {"timezone": "Europe/Paris"}} gives the time there to the second, e.g.
 * {@code {"timezone": "Europe/Paris", "iso": "2026-12-01T14:31:06+01:00", "epoch_seconds": 1796135466,
 * "weekday": "Tuesday"}}. Not deterministic, which is why its result goes to the call journal like any other.
 */
final class CurrentTimeTool implements Tool {
  private static final ToolSpec SPEC = BuiltInTools.find(BuiltInTools.CURRENT_TIME).orElseThrow();
  private final Clock clock;

  CurrentTimeTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ToolSpec spec() {
    return SPEC;
  }

  @Override
  public Output run(Map<String, Object> arguments) {
    ZoneId zone = zone((String) arguments.getOrDefault("timezone", "UTC"));
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone)).truncatedTo(ChronoUnit.SECONDS);
    String iso = now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("timezone", zone.getId());
    output.put("iso", iso);
    output.put("epoch_seconds", now.toEpochSecond());
    output.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    return new Output(output, iso);
  }

  static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      // Models write europe/paris about as often as Europe/Paris.
      return ZoneId.getAvailableZoneIds().stream().filter(id -> id.equalsIgnoreCase(name)).findFirst()
          .map(ZoneId::of)
          .orElseThrow(() -> invalidArguments("unknown time zone '" + name
              + "': use an IANA name such as Europe/Paris, America/New_York or UTC"));
    }
  }
}
