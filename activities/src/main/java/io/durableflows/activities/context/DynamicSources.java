package io.durableflows.activities.context;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What a dynamic block's {@code source} renders to. Kinds: {@code current_time} ({@code timezone}, default UTC)
 * and {@code skill_index} (the org's skills, one line each: what an agent may ask for).
 */
final class DynamicSources {
  private DynamicSources() {}

  /** Thrown for a source this worker cannot render; the block is reported with the message, not injected. */
  static final class RenderException extends RuntimeException {
    RenderException(String message) {
      super(message);
    }
  }

  /** {@code skills} gives the org's skills as (name, description) rows, read only when the source needs them. */
  static String render(Map<String, Object> source, Clock clock, Function<Void, List<String[]>> skills) {
    Object kind = source == null ? null : source.get("kind");
    if ("current_time".equals(kind)) {
      String zoneName = source.get("timezone") instanceof String s ? s : "UTC";
      ZoneId zone;
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        throw new RenderException("unknown time zone '" + zoneName + "'");
      }
      ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone)).truncatedTo(ChronoUnit.SECONDS);
      return "Current time: " + now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " ("
          + now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", " + zone.getId() + ")";
    }
    if ("skill_index".equals(kind)) {
      List<String[]> rows = skills.apply(null);
      if (rows.isEmpty()) return "No skills are available.";
      StringBuilder out = new StringBuilder("Skills available:");
      for (String[] row : rows) {
        out.append("\n- ").append(row[0]);
        if (row[1] != null && !row[1].isBlank()) out.append(": ").append(row[1]);
      }
      return out.toString();
    }
    throw new RenderException("unknown source kind '" + kind + "'");
  }
}
