package io.durableflows.workflows.flow;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as flows and query strings write them: {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d},
 * {@code 500ms}, a bare number of seconds, or ISO-8601 ({@code PT30M}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("^(\\d{1,9})\\s*(ms|s|m|h|d)?$");

  private Durations() {}

  public static Optional<Duration> parse(Object value) {
    if (value instanceof Number n && JsonTypes.matches("integer", n) && n.longValue() >= 0) {
      return Optional.of(Duration.ofSeconds(n.longValue()));
    }
    if (!(value instanceof String s) || s.isBlank()) return Optional.empty();
    String text = s.strip();
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return Optional.of(switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> Duration.ofSeconds(amount);
      });
    }
    try {
      Duration d = Duration.parse(text.toUpperCase());
      return d.isNegative() ? Optional.empty() : Optional.of(d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
