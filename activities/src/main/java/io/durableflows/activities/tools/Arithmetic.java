package io.durableflows.activities.tools;

import static io.durableflows.activities.tools.Tool.invalidArguments;
import static io.durableflows.activities.tools.Tool.toolError;

import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Arithmetic expressions for the calculator tool. A recursive-descent parser builds a small syntax tree and only
 * then is anything computed, so a malformed expression is always reported as such, never as a division by zero
 * that happened to come first.
 *
 * <p>Numbers are {@link BigDecimal}s worked to 34 significant digits and the result is rounded to 15. Decimal
 * fractions then come out as people write them ({@code 0.1 + 0.2} is 0.3, not 0.30000000000000004, which matters
 * for the money sums models like to ask for), and 15 digits survive the trip through a JSON double unchanged.
 * Only powers with a fractional exponent go through {@code double}. Every intermediate value must stay within a
 * double's range, which also keeps {@code %} and the integer functions cheap whatever the input.
 *
 * <p>Positions in messages count characters from 1.
 */
final class Arithmetic {
  static final int MAX_LENGTH = 500;
  static final int MAX_DEPTH = 50;
  private static final MathContext WORKING = MathContext.DECIMAL128;
  private static final MathContext RESULT = new MathContext(15, RoundingMode.HALF_EVEN);
  private static final BigDecimal LARGEST = new BigDecimal(Double.MAX_VALUE);
  private static final int MAX_ROUND_DIGITS = 15;
  private static final Map<String, BigDecimal> CONSTANTS = Map.of(
      "pi", new BigDecimal("3.141592653589793238462643383279503"),
      "e", new BigDecimal("2.718281828459045235360287471352662"));
  /** Each function's fewest and most arguments. */
  private static final Map<String, int[]> FUNCTIONS = Map.of(
      "sqrt", new int[] {1, 1}, "abs", new int[] {1, 1}, "floor", new int[] {1, 1}, "ceil", new int[] {1, 1},
      "round", new int[] {1, 2}, "min", new int[] {1, Integer.MAX_VALUE}, "max", new int[] {1, Integer.MAX_VALUE});

  sealed interface Node permits Num, Negate, Binary, Call {}

  record Num(BigDecimal value) implements Node {}

  record Negate(Node operand) implements Node {}

  /** {@code position} is the operator's, where an error in applying it is reported. */
  record Binary(char operator, Node left, Node right, int position) implements Node {}

  record Call(String function, List<Node> arguments, int position) implements Node {}

  private Arithmetic() {}

  /** The value of {@code expression}, rounded to 15 significant digits, without trailing zeros. */
  static BigDecimal evaluate(String expression) {
    BigDecimal value = value(parse(expression)).round(RESULT);
    if (value.signum() != 0 && value.doubleValue() == 0) {
      throw toolError("the result is too close to zero to represent");
    }
    return value.stripTrailingZeros();
  }

  static Node parse(String expression) {
    if (expression.length() > MAX_LENGTH) {
      throw invalidArguments("the expression is longer than " + MAX_LENGTH + " characters");
    }
    if (expression.isBlank()) throw invalidArguments("the expression is empty");
    return new Parser(expression).parse();
  }

  // ------------------------------------------------------------------------------------------ evaluation

  private static BigDecimal value(Node node) {
    return switch (node) {
      case Num n -> n.value();
      case Negate n -> value(n.operand()).negate();
      case Binary b -> inRange(apply(b, value(b.left()), value(b.right())), b.operator(), b.position());
      case Call c -> inRange(call(c, c.arguments().stream().map(Arithmetic::value).toList()), c.function(),
          c.position());
    };
  }

  private static BigDecimal inRange(BigDecimal value, Object what, int position) {
    if (value.abs().compareTo(LARGEST) > 0) {
      throw toolError("the result of '" + what + "' at position " + position + " is too large (beyond ±1.8e308)");
    }
    return value;
  }

  private static BigDecimal apply(Binary b, BigDecimal x, BigDecimal y) {
    String where = " at position " + b.position();
    try {
      return switch (b.operator()) {
        case '+' -> x.add(y, WORKING);
        case '-' -> x.subtract(y, WORKING);
        case '*' -> x.multiply(y, WORKING);
        case '/' -> {
          if (y.signum() == 0) throw toolError("division by zero" + where);
          yield x.divide(y, WORKING);
        }
        case '%' -> {
          if (y.signum() == 0) throw toolError("modulo by zero" + where);
          yield x.remainder(y, WORKING);
        }
        case '^' -> power(x, y, where);
        default -> throw new IllegalStateException("operator " + b.operator());
      };
    } catch (ArithmeticException e) {
      // Scale overflow, or a remainder whose quotient needs more than 34 digits.
      throw toolError("'" + b.operator() + "'" + where + " gives a result out of range");
    }
  }

  private static BigDecimal power(BigDecimal base, BigDecimal exponent, String where) {
    if (base.signum() == 0 && exponent.signum() < 0) throw toolError("zero raised to a negative power" + where);
    boolean integral = exponent.signum() == 0 || exponent.stripTrailingZeros().scale() <= 0;
    if (integral && exponent.abs().compareTo(BigDecimal.valueOf(999_999_999)) <= 0) {
      return base.pow(exponent.intValueExact(), WORKING);
    }
    double result = Math.pow(base.doubleValue(), exponent.doubleValue());
    if (Double.isNaN(result)) {
      throw toolError("a negative number raised to a fractional power has no real value" + where);
    }
    if (Double.isInfinite(result)) throw toolError("the result of '^'" + where + " is too large (beyond ±1.8e308)");
    return BigDecimal.valueOf(result);
  }

  private static BigDecimal call(Call c, List<BigDecimal> args) {
    BigDecimal x = args.getFirst();
    return switch (c.function()) {
      case "sqrt" -> {
        if (x.signum() < 0) {
          throw toolError("sqrt of a negative number (" + x.toPlainString() + ") at position " + c.position());
        }
        yield x.sqrt(WORKING);
      }
      case "abs" -> x.abs();
      case "floor" -> x.setScale(0, RoundingMode.FLOOR);
      case "ceil" -> x.setScale(0, RoundingMode.CEILING);
      case "round" -> x.setScale(args.size() == 2 ? roundDigits(args.get(1), c.position()) : 0, RoundingMode.HALF_UP);
      case "min" -> args.stream().reduce(BigDecimal::min).orElseThrow();
      case "max" -> args.stream().reduce(BigDecimal::max).orElseThrow();
      default -> throw new IllegalStateException("function " + c.function());
    };
  }

  private static int roundDigits(BigDecimal digits, int position) {
    boolean integral = digits.signum() == 0 || digits.stripTrailingZeros().scale() <= 0;
    if (!integral || digits.abs().compareTo(BigDecimal.valueOf(MAX_ROUND_DIGITS)) > 0) {
      throw invalidArguments("round's second argument (decimal places) must be a whole number from -"
          + MAX_ROUND_DIGITS + " to " + MAX_ROUND_DIGITS + ", not " + digits.toPlainString() + " (position "
          + position + ")");
    }
    return digits.intValueExact();
  }

  // ------------------------------------------------------------------------------------------ parsing

  /**
   * <pre>
   * expression := term (('+' | '-') term)*
   * term       := unary (('*' | '/' | '%') unary)*
   * unary      := ('-' | '+') unary | power
   * power      := primary ('^' unary)?        right-associative; -2^2 is -(2^2), 2^-1 is 0.5
   * primary    := number | constant | function '(' expression (',' expression)* ')' | '(' expression ')'
   * </pre>
   */
  private static final class Parser {
    private final String source;
    private int pos;
    private int depth;

    Parser(String source) {
      this.source = source;
    }

    Node parse() {
      Node node = expression();
      skipSpace();
      if (pos < source.length()) throw unexpected("an operator");
      return node;
    }

    private Node expression() {
      Node left = term();
      while (true) {
        skipSpace();
        char c = peek();
        if (c != '+' && c != '-') return left;
        int at = pos++;
        left = new Binary(c, left, term(), at + 1);
      }
    }

    private Node term() {
      Node left = unary();
      while (true) {
        skipSpace();
        char c = peek();
        if (c != '*' && c != '/' && c != '%') return left;
        int at = pos++;
        left = new Binary(c, left, unary(), at + 1);
      }
    }

    /** Every nesting (parentheses, arguments, signs, exponents) passes here, so the depth cap sits here. */
    private Node unary() {
      skipSpace();
      if (++depth > MAX_DEPTH) {
        throw invalidArguments("the expression nests deeper than " + MAX_DEPTH + " levels at position " + (pos + 1));
      }
      try {
        char c = peek();
        if (c == '-' || c == '+') {
          pos++;
          Node operand = unary();
          return c == '-' ? new Negate(operand) : operand;
        }
        return power();
      } finally {
        depth--;
      }
    }

    private Node power() {
      Node base = primary();
      skipSpace();
      if (peek() != '^') return base;
      int at = pos++;
      return new Binary('^', base, unary(), at + 1);
    }

    private Node primary() {
      skipSpace();
      char c = peek();
      if (c == '(') {
        int open = pos++;
        Node inner = expression();
        skipSpace();
        if (peek() != ')') throw unexpected("')' to close the '(' at position " + (open + 1));
        pos++;
        return inner;
      }
      if (isDigit(c) || c == '.') return number();
      if (Character.isLetter(c) || c == '_') return name();
      throw unexpected("a number, a name or '('");
    }

    private Node number() {
      int start = pos;
      int digits = skipDigits();
      if (peek() == '.') {
        pos++;
        digits += skipDigits();
      }
      if (digits == 0) throw invalidArguments("malformed number at position " + (start + 1));
      if ((peek() == 'e' || peek() == 'E') && exponentFollows()) {
        pos += isDigit(source.charAt(pos + 1)) ? 1 : 2;
        skipDigits();
      }
      String text = source.substring(start, pos);
      BigDecimal value;
      try {
        value = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw invalidArguments("the number " + text + " at position " + (start + 1) + " is out of range");
      }
      if (value.abs().compareTo(LARGEST) > 0) {
        throw invalidArguments("the number " + text + " at position " + (start + 1) + " is too large (beyond ±1.8e308)");
      }
      return new Num(value);
    }

    /** An 'e' right after a number is its exponent only when digits follow; otherwise it is whatever comes next. */
    private boolean exponentFollows() {
      int next = pos + 1;
      if (next < source.length() && (source.charAt(next) == '+' || source.charAt(next) == '-')) next++;
      return next < source.length() && isDigit(source.charAt(next));
    }

    private Node name() {
      int start = pos;
      while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
        pos++;
      }
      String written = source.substring(start, pos);
      String name = written.toLowerCase(Locale.ROOT);
      int position = start + 1;
      skipSpace();
      boolean called = peek() == '(';
      if (CONSTANTS.containsKey(name)) {
        if (called) throw invalidArguments("'" + written + "' at position " + position + " is a constant, not a function");
        return new Num(CONSTANTS.get(name));
      }
      int[] arity = FUNCTIONS.get(name);
      if (arity == null) {
        throw invalidArguments("unknown name '" + written + "' at position " + position
            + ": the constants are pi and e, the functions sqrt, abs, round, floor, ceil, min and max");
      }
      if (!called) {
        throw invalidArguments("'" + written + "' at position " + position + " is a function: write " + name + "(...)");
      }
      pos++;
      List<Node> arguments = new ArrayList<>();
      skipSpace();
      if (peek() != ')') {
        arguments.add(expression());
        skipSpace();
        while (peek() == ',') {
          pos++;
          arguments.add(expression());
          skipSpace();
        }
      }
      if (peek() != ')') throw unexpected("',' or ')' to close the call of " + name + " at position " + position);
      pos++;
      if (arguments.size() < arity[0] || arguments.size() > arity[1]) {
        throw invalidArguments(name + " at position " + position + " takes " + describe(arity) + ", not "
            + arguments.size());
      }
      return new Call(name, arguments, position);
    }

    private static String describe(int[] arity) {
      if (arity[1] == Integer.MAX_VALUE) return "at least " + arity[0] + " argument" + (arity[0] == 1 ? "" : "s");
      if (arity[0] == arity[1]) return arity[0] + " argument" + (arity[0] == 1 ? "" : "s");
      return arity[0] + " or " + arity[1] + " arguments";
    }

    private ApplicationFailure unexpected(String expected) {
      if (pos >= source.length()) {
        return invalidArguments("the expression ends at position " + (pos + 1) + " where " + expected
            + " was expected");
      }
      return invalidArguments("unexpected '" + source.charAt(pos) + "' at position " + (pos + 1) + ": expected "
          + expected);
    }

    private int skipDigits() {
      int start = pos;
      while (isDigit(peek())) pos++;
      return pos - start;
    }

    private void skipSpace() {
      while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) pos++;
    }

    /** The current character, or NUL at the end (which no rule accepts). */
    private char peek() {
      return pos < source.length() ? source.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
