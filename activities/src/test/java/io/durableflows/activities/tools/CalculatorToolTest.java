package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorToolTest {
  private final CalculatorTool tool = new CalculatorTool();

  private Tool.Output run(String expression) {
    return tool.run(Map.of("expression", expression));
  }

  @Test
  void run_returnsTheExpressionAndItsResult() {
    Tool.Output out = run("(12.5 + 7) * 3");

    assertThat(out.output()).isEqualTo(Map.of("expression", "(12.5 + 7) * 3", "result", 58.5));
    assertThat(out.text()).isEqualTo("58.5");
  }

  @Test
  void run_withWholeResult_givesAJsonIntegerAndPlainText() {
    Tool.Output out = run("6 * 7.0");

    assertThat(((Map<?, ?>) out.output()).get("result")).isEqualTo(42L);
    assertThat(out.text()).isEqualTo("42");
  }

  @Test
  void run_withNegativeFraction_givesADouble() {
    Tool.Output out = run("-1 / 2");

    assertThat(((Map<?, ?>) out.output()).get("result")).isEqualTo(-0.5);
    assertThat(out.text()).isEqualTo("-0.5");
  }

  @Test
  void run_withZeroResult_givesZero() {
    Tool.Output out = run("0 * -5");

    assertThat(((Map<?, ?>) out.output()).get("result")).isEqualTo(0L);
    assertThat(out.text()).isEqualTo("0");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1 / 3 | 0.333333333333333", "10 / 4 | 2.5", "1e20 | 100000000000000000000", "2 ^ 70 | 1.18059162071741E+21",
      "1e-7 | 0.0000001", "1e-8 | 1E-8", "-1e25 | -1E+25", "100 | 100"})
  void text_formatsPlainInTheUsualRangeAndWithExponentOutside(String expression, String text) {
    assertThat(run(expression).text()).isEqualTo(text);
  }

  @Test
  void jsonNumber_withIntegerBeyond2To53_givesADouble() {
    assertThat(CalculatorTool.jsonNumber(new BigDecimal("1E+20"))).isEqualTo(1e20);
  }

  @Test
  void jsonNumber_withIntegerAt2To53_givesALong() {
    assertThat(CalculatorTool.jsonNumber(BigDecimal.valueOf(1L << 53))).isEqualTo(1L << 53);
  }

  @Test
  void jsonNumber_withFifteenDigitFraction_givesTheSameDigitsAsTheText() {
    BigDecimal third = Arithmetic.evaluate("1/3");

    assertThat(CalculatorTool.jsonNumber(third).toString()).isEqualTo(CalculatorTool.text(third));
  }
}
