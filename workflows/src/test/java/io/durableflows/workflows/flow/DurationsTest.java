package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {
  static Stream<Arguments> shortForms() {
    return Stream.of(
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("90s", Duration.ofSeconds(90)),
        Arguments.of("15m", Duration.ofMinutes(15)),
        Arguments.of("30m", Duration.ofMinutes(30)),
        Arguments.of("24h", Duration.ofHours(24)),
        Arguments.of("7d", Duration.ofDays(7)),
        Arguments.of("0s", Duration.ZERO));
  }

  @ParameterizedTest
  @MethodSource("shortForms")
  void parse_withNumberAndUnit_givesThatDuration(String text, Duration expected) {
    assertThat(Durations.parse(text)).contains(expected);
  }

  @Test
  void parse_withABareNumberString_readsSeconds() {
    assertThat(Durations.parse("45")).contains(Duration.ofSeconds(45));
  }

  @Test
  void parse_withAnInteger_readsSeconds() {
    assertThat(Durations.parse(3600)).contains(Duration.ofHours(1));
  }

  @Test
  void parse_withAWholeDouble_readsSeconds() {
    assertThat(Durations.parse(30.0)).contains(Duration.ofSeconds(30));
  }

  @Test
  void parse_withAWholeBigDecimal_readsSeconds() {
    assertThat(Durations.parse(new BigDecimal("120"))).contains(Duration.ofMinutes(2));
  }

  static Stream<Arguments> isoForms() {
    return Stream.of(
        Arguments.of("PT30M", Duration.ofMinutes(30)),
        Arguments.of("pt2h", Duration.ofHours(2)),
        Arguments.of("P1D", Duration.ofDays(1)),
        Arguments.of("PT1.5S", Duration.ofMillis(1500)));
  }

  @ParameterizedTest
  @MethodSource("isoForms")
  void parse_withIso8601_givesThatDuration(String text, Duration expected) {
    assertThat(Durations.parse(text)).contains(expected);
  }

  @Test
  void parse_withSurroundingSpaces_ignoresThem() {
    assertThat(Durations.parse("  5m ")).contains(Duration.ofMinutes(5));
  }

  @Test
  void parse_withASpaceBeforeTheUnit_acceptsIt() {
    assertThat(Durations.parse("5 m")).contains(Duration.ofMinutes(5));
  }

  static Stream<Arguments> notDurations() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("blank", "   "),
        Arguments.of("word", "soon"),
        Arguments.of("unknown unit", "3w"),
        Arguments.of("upper-case unit", "5M"),
        Arguments.of("negative short form", "-5m"),
        Arguments.of("fraction in short form", "1.5h"),
        Arguments.of("negative ISO", "PT-5M"),
        Arguments.of("negative number", -30),
        Arguments.of("fractional number", 1.5),
        Arguments.of("boolean", true),
        Arguments.of("object", Map.of("minutes", 5)),
        Arguments.of("array", List.of("5m")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notDurations")
  void parse_withSomethingThatIsNotADuration_givesNothing(String name, Object value) {
    assertThat(Durations.parse(value)).isEmpty();
  }

  @Test
  void parse_withNull_givesNothing() {
    assertThat(Durations.parse(null)).isEmpty();
  }
}
