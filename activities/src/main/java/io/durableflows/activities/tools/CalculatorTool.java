package io.durableflows.activities.tools;

import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code calculator}: {@code {"expression": "(12.5 + 7) * 3"}} gives {@code {"expression": ..., "result": 58.5}}. */
final class CalculatorTool implements Tool {
  private static final ToolSpec SPEC = BuiltInTools.find(BuiltInTools.CALCULATOR).orElseThrow();
  /** Integers up to 2^53 are exact in every JSON reader, JavaScript's included; beyond that a double is as good. */
  private static final BigDecimal LARGEST_EXACT_INTEGER = BigDecimal.valueOf(1L << 53);
  /** Outside this range the text switches to exponent notation, as JavaScript's number formatting does. */
  private static final BigDecimal PLAIN_FROM = new BigDecimal("1e-7");
  private static final BigDecimal PLAIN_BELOW = new BigDecimal("1e21");

  @Override
  public ToolSpec spec() {
    return SPEC;
  }

  @Override
  public Output run(Map<String, Object> arguments) {
    String expression = (String) arguments.get("expression");
    BigDecimal result = Arithmetic.evaluate(expression);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("expression", expression);
    output.put("result", jsonNumber(result));
    return new Output(output, text(result));
  }

  /** A whole result stays a JSON integer ({@code 42}, not {@code 42.0}). */
  static Number jsonNumber(BigDecimal value) {
    boolean integral = value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    if (integral && value.abs().compareTo(LARGEST_EXACT_INTEGER) <= 0) return value.longValueExact();
    return value.doubleValue();
  }

  static String text(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    BigDecimal magnitude = stripped.abs();
    if (stripped.signum() == 0) return "0";
    if (magnitude.compareTo(PLAIN_FROM) >= 0 && magnitude.compareTo(PLAIN_BELOW) < 0) return stripped.toPlainString();
    return stripped.toString();
  }
}
