package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {

  private static BigDecimal calculate(String expression) {
    return Arithmetic.evaluate(expression);
  }

  private static ApplicationFailure failureOf(String expression) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, () -> Arithmetic.evaluate(expression));
    assertThat(failure).as("evaluating %s should fail", expression).isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    return failure;
  }

  private static void assertInvalid(String expression, String message) {
    ApplicationFailure failure = failureOf(expression);
    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains(message);
  }

  private static void assertToolError(String expression, String message) {
    ApplicationFailure failure = failureOf(expression);
    assertThat(failure.getType()).isEqualTo(ToolFailures.TOOL_ERROR);
    assertThat(failure.getOriginalMessage()).contains(message);
  }

  // ------------------------------------------------------------------------------------------ numbers

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "42 | 42", "3.25 | 3.25", ".5 | 0.5", "5. | 5", "1.5e3 | 1500", "2E-2 | 0.02", "1e+2 | 100", "007 | 7"})
  void calculate_withNumberLiteral_readsIt(String expression, String expected) {
    assertThat(calculate(expression)).isEqualByComparingTo(expected);
  }

  @Test
  void calculate_withWhitespaceAroundEverything_ignoresIt() {
    assertThat(calculate(" \t 1 +\n 2 * ( 3 ) ")).isEqualByComparingTo("7");
  }

  // ------------------------------------------------------------------------------------------ precedence

  @Test
  void calculate_withMultiplicationAfterAddition_multipliesFirst() {
    assertThat(calculate("2 + 3 * 4")).isEqualByComparingTo("14");
  }

  @Test
  void calculate_withPowerAndParentheses_respectsPrecedence() {
    assertThat(calculate("(2 + 3) ^ 2 * 2")).isEqualByComparingTo("50");
  }

  @Test
  void calculate_withPowerAfterMultiplication_raisesFirst() {
    assertThat(calculate("2 * 3 ^ 2")).isEqualByComparingTo("18");
  }

  @Test
  void calculate_withChainedPowers_isRightAssociative() {
    assertThat(calculate("2 ^ 3 ^ 2")).isEqualByComparingTo("512");
  }

  @Test
  void calculate_withSubtractionChain_isLeftAssociative() {
    assertThat(calculate("10 - 4 - 3")).isEqualByComparingTo("3");
  }

  @Test
  void calculate_withDivisionChain_isLeftAssociative() {
    assertThat(calculate("64 / 4 / 2")).isEqualByComparingTo("8");
  }

  @Test
  void calculate_withModuloBesideMultiplication_hasTheSamePrecedenceLeftToRight() {
    assertThat(calculate("2 * 7 % 4")).isEqualByComparingTo("2");
  }

  // ------------------------------------------------------------------------------------------ signs

  @Test
  void calculate_withUnaryMinusBeforePower_negatesThePower() {
    assertThat(calculate("-2 ^ 2")).isEqualByComparingTo("-4");
  }

  @Test
  void calculate_withNegativeExponent_givesTheReciprocal() {
    assertThat(calculate("2 ^ -2")).isEqualByComparingTo("0.25");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {"--3 | 3", "+3 | 3", "-(2 + 3) | -5", "3 - -2 | 5", "2 * -3 | -6", "-+-1 | 1"})
  void calculate_withUnarySigns_appliesThem(String expression, String expected) {
    assertThat(calculate(expression)).isEqualByComparingTo(expected);
  }

  // ------------------------------------------------------------------------------------------ precision

  @Test
  void calculate_withDecimalFractions_isExactInDecimal() {
    assertThat(calculate("0.1 + 0.2")).isEqualByComparingTo("0.3");
  }

  @Test
  void calculate_withRepeatingDecimal_roundsTo15SignificantDigits() {
    assertThat(calculate("2 / 3")).isEqualByComparingTo("0.666666666666667");
  }

  @Test
  void calculate_withThirdTimesThree_givesExactlyOne() {
    assertThat(calculate("1 / 3 * 3")).isEqualByComparingTo("1");
  }

  @Test
  void calculate_withLargeInteger_keeps15SignificantDigits() {
    assertThat(calculate("2 ^ 64")).isEqualByComparingTo("18446744073709600000");
  }

  @Test
  void calculate_withWholeResult_hasNoTrailingZeros() {
    assertThat(calculate("2.50 * 4").scale()).isLessThanOrEqualTo(0);
  }

  @Test
  void calculate_withFractionalExponent_computesTheRoot() {
    assertThat(calculate("9 ^ 0.5")).isEqualByComparingTo("3");
  }

  @Test
  void calculate_withIrrationalFractionalPower_roundsTo15Digits() {
    assertThat(calculate("2 ^ 0.5")).isEqualByComparingTo("1.41421356237310");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {"7 % 3 | 1", "-7 % 3 | -1", "7 % -3 | 1", "5.5 % 2 | 1.5"})
  void calculate_withModulo_keepsTheDividendsSign(String expression, String expected) {
    assertThat(calculate(expression)).isEqualByComparingTo(expected);
  }

  // ------------------------------------------------------------------------------------------ functions and constants

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "sqrt(16) | 4", "sqrt(2) | 1.41421356237310", "sqrt(0) | 0", "abs(-3.5) | 3.5", "abs(2) | 2",
      "floor(2.7) | 2", "floor(-2.5) | -3", "ceil(2.1) | 3", "ceil(-2.5) | -2",
      "round(2.4) | 2", "round(2.5) | 3", "round(-2.5) | -3", "round(3.14159, 2) | 3.14", "round(1250, -2) | 1300",
      "min(3, 1, 2) | 1", "max(3, 1, 2) | 3", "max(7) | 7", "min(-1, -1.5) | -1.5"})
  void calculate_withFunction_appliesIt(String expression, String expected) {
    assertThat(calculate(expression)).isEqualByComparingTo(expected);
  }

  @Test
  void calculate_withNestedFunctionCalls_evaluatesInnerFirst() {
    assertThat(calculate("max(1, min(5, 3), sqrt(4)) * 2")).isEqualByComparingTo("6");
  }

  @Test
  void calculate_withExpressionsAsArguments_evaluatesThem() {
    assertThat(calculate("round(10 / 3, 1 + 1)")).isEqualByComparingTo("3.33");
  }

  @Test
  void calculate_withPi_gives15Digits() {
    assertThat(calculate("pi")).isEqualByComparingTo("3.14159265358979");
  }

  @Test
  void calculate_withE_gives15Digits() {
    assertThat(calculate("e")).isEqualByComparingTo("2.71828182845905");
  }

  @Test
  void calculate_withConstantInArithmetic_usesItsFullPrecision() {
    assertThat(calculate("2 * pi * 10")).isEqualByComparingTo("62.8318530717959");
  }

  @Test
  void calculate_withUpperCaseNames_acceptsThem() {
    assertThat(calculate("SQRT(4) * PI / Pi")).isEqualByComparingTo("2");
  }

  @Test
  void calculate_withNumberFollowedByE_readsTheExponentOnlyWhenDigitsFollow() {
    assertThat(calculate("2e3")).isEqualByComparingTo("2000");
    assertThat(calculate("2 * e")).isEqualByComparingTo("5.43656365691809");
  }

  // ------------------------------------------------------------------------------------------ malformed

  @Test
  void calculate_withEmptyExpression_failsInvalidArguments() {
    assertInvalid("   ", "the expression is empty");
  }

  @Test
  void calculate_withTrailingOperator_saysWhereItEnds() {
    assertInvalid("1 +", "the expression ends at position 4 where a number, a name or '(' was expected");
  }

  @Test
  void calculate_withUnclosedParenthesis_namesTheOpeningOne() {
    assertInvalid("(1 + 2", "')' to close the '(' at position 1");
  }

  @Test
  void calculate_withExtraClosingParenthesis_pointsAtIt() {
    assertInvalid("1 + 2)", "unexpected ')' at position 6: expected an operator");
  }

  @Test
  void calculate_withEmptyParentheses_pointsAtTheClosingOne() {
    assertInvalid("()", "unexpected ')' at position 2: expected a number, a name or '('");
  }

  @Test
  void calculate_withTwoNumbersInARow_pointsAtTheSecond() {
    assertInvalid("2 3", "unexpected '3' at position 3");
  }

  @Test
  void calculate_withTwoDecimalPoints_pointsAtTheSecond() {
    assertInvalid("1.2.3", "unexpected '.' at position 4");
  }

  @Test
  void calculate_withLonePoint_failsMalformedNumber() {
    assertInvalid("1 + .", "malformed number at position 5");
  }

  @Test
  void calculate_withDoubleStarPower_pointsAtTheSecondStar() {
    assertInvalid("2 ** 3", "unexpected '*' at position 4");
  }

  @Test
  void calculate_withUnsupportedOperator_pointsAtIt() {
    assertInvalid("1 = 1", "unexpected '=' at position 3");
  }

  @Test
  void calculate_withLetterAfterNumber_pointsAtIt() {
    assertInvalid("2e", "unexpected 'e' at position 2");
  }

  @Test
  void calculate_withUnknownName_namesItAndWhatIsKnown() {
    assertInvalid("2 * foo", "unknown name 'foo' at position 5: the constants are pi and e");
  }

  @Test
  void calculate_withUnknownFunction_namesIt() {
    assertInvalid("log(10)", "unknown name 'log' at position 1");
  }

  @Test
  void calculate_withFunctionWithoutParentheses_saysHowToCallIt() {
    assertInvalid("sqrt 4", "'sqrt' at position 1 is a function: write sqrt(...)");
  }

  @Test
  void calculate_withConstantCalledAsFunction_saysItIsAConstant() {
    assertInvalid("pi(2)", "'pi' at position 1 is a constant, not a function");
  }

  @Test
  void calculate_withTooManyArguments_givesTheArity() {
    assertInvalid("1 + sqrt(1, 2)", "sqrt at position 5 takes 1 argument, not 2");
  }

  @Test
  void calculate_withNoArgumentsForVariadic_givesTheMinimum() {
    assertInvalid("min()", "min at position 1 takes at least 1 argument, not 0");
  }

  @Test
  void calculate_withThreeArgumentsForRound_givesTheArity() {
    assertInvalid("round(1, 2, 3)", "round at position 1 takes 1 or 2 arguments, not 3");
  }

  @Test
  void calculate_withFractionalRoundDigits_failsInvalidArguments() {
    assertInvalid("round(2.5, 0.5)", "must be a whole number from -15 to 15, not 0.5");
  }

  @Test
  void calculate_withUnclosedCall_saysWhatWasExpected() {
    assertInvalid("max(1, 2", "',' or ')' to close the call of max at position 1");
  }

  @Test
  void calculate_withTrailingCommaInCall_saysWhatWasExpected() {
    assertInvalid("max(1, )", "unexpected ')' at position 8: expected a number, a name or '('");
  }

  @Test
  void calculate_withMalformedTailAfterDivisionByZero_reportsTheSyntaxFirst() {
    assertInvalid("1 / 0 +", "the expression ends");
  }

  @Test
  void calculate_withLiteralBeyondDoubleRange_failsInvalidArguments() {
    assertInvalid("1e400", "the number 1e400 at position 1 is too large");
  }

  @Test
  void calculate_withExponentBeyondAnyRange_failsInvalidArguments() {
    assertInvalid("1e99999999999", "is out of range");
  }

  // ------------------------------------------------------------------------------------------ limits

  @Test
  void calculate_withExpressionOverLengthCap_failsInvalidArguments() {
    assertInvalid("1+".repeat(250) + "1", "longer than 500 characters");
  }

  @Test
  void calculate_withExpressionAtLengthCap_evaluates() {
    assertThat(calculate("1+".repeat(249) + "11")).isEqualByComparingTo("260");
  }

  @Test
  void calculate_withNestingWithinCap_evaluates() {
    assertThat(calculate("(".repeat(49) + "1" + ")".repeat(49))).isEqualByComparingTo("1");
  }

  @Test
  void calculate_withParenthesesNestedBeyondCap_failsInvalidArguments() {
    assertInvalid("(".repeat(60) + "1" + ")".repeat(60), "nests deeper than 50 levels at position 51");
  }

  @Test
  void calculate_withSignsNestedBeyondCap_failsInvalidArguments() {
    assertInvalid("-".repeat(60) + "1", "nests deeper than 50 levels");
  }

  @Test
  void calculate_withPowersNestedBeyondCap_failsInvalidArguments() {
    assertInvalid("2" + "^2".repeat(60), "nests deeper than 50 levels");
  }

  // ------------------------------------------------------------------------------------------ evaluation errors

  @Test
  void calculate_withDivisionByZero_failsToolErrorAtTheOperator() {
    assertToolError("1 / 0", "division by zero at position 3");
  }

  @Test
  void calculate_withDivisionByComputedZero_failsToolError() {
    assertToolError("1 + 4 / (2 - 2)", "division by zero at position 7");
  }

  @Test
  void calculate_withModuloByZero_failsToolError() {
    assertToolError("5 % 0", "modulo by zero at position 3");
  }

  @Test
  void calculate_withSqrtOfNegative_failsToolError() {
    assertToolError("sqrt(-4)", "sqrt of a negative number (-4) at position 1");
  }

  @Test
  void calculate_withZeroToNegativePower_failsToolError() {
    assertToolError("0 ^ -1", "zero raised to a negative power at position 3");
  }

  @Test
  void calculate_withNegativeToFractionalPower_failsToolError() {
    assertToolError("(-8) ^ (1 / 3)", "has no real value at position 6");
  }

  @Test
  void calculate_withPowerBeyondDoubleRange_failsToolError() {
    assertToolError("10 ^ 400", "the result of '^' at position 4 is too large");
  }

  @Test
  void calculate_withHugeIntegerExponent_failsToolError() {
    assertToolError("2 ^ 1e10", "too large");
  }

  @Test
  void calculate_withProductBeyondDoubleRange_failsToolError() {
    assertToolError("1e300 * 1e300", "the result of '*' at position 7 is too large");
  }

  @Test
  void calculate_withFunctionResultBeyondDoubleRange_failsToolError() {
    assertToolError("abs(-1e308 * 10)", "too large");
  }

  @Test
  void calculate_withResultTooCloseToZero_failsToolError() {
    assertToolError("1e-300 * 1e-300", "too close to zero");
  }

  @Test
  void calculate_withRemainderOfHugeQuotient_failsToolError() {
    assertToolError("1e40 % 7", "'%' at position 6 gives a result out of range");
  }
}
