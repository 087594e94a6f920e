package io.durableflows.workflows.flow;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Switch conditions in CEL (Common Expression Language). CEL is pure: no I/O, no clock, no randomness, no threads,
 * and bounded (no loops beyond comprehensions over given lists), so a condition evaluates inside workflow code and
 * gives the same answer on every replay.
 *
 * <p>Variables: {@code input} (the run's input) and every earlier node whose id is a CEL identifier, as the map of
 * its fields ({@code text}, {@code json}, {@code output}...). All are {@code dyn}: the checker catches syntax
 * errors, unknown variables and functions, and a result that cannot be a boolean.
 */
public final class Conditions {
  /** Node ids that CEL can name as variables (ids with '-' are reachable as {@code nodes['my-node']}). */
  private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  /** CEL's reserved words cannot be variables. */
  private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
      "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
      "void", "while", "nodes", "input");
  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .comprehensionMaxIterations(10_000)
      .maxParseRecursionDepth(100)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  /** Compiled programs by variables and expression: compiling is pure, so sharing them across runs is safe. */
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
  private static final int MAX_PROGRAMS = 10_000;

  private Conditions() {}

  /** The variable names a condition sees, given the nodes that run before it. */
  public static Set<String> variables(Collection<String> nodeIds) {
    Set<String> vars = new TreeSet<>();
    for (String id : nodeIds) {
      if (id != null && IDENTIFIER.matcher(id).matches() && !RESERVED.contains(id)) vars.add(id);
    }
    return vars;
  }

  /** Why the expression does not compile to a boolean over these variables, or empty when it does. */
  public static Optional<String> problem(String expression, Set<String> variables) {
    try {
      CelAbstractSyntaxTree ast = compile(expression, variables);
      var type = ast.getResultType();
      if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
        return Optional.of("must be a boolean expression, but it is of type " + type.name());
      }
      return Optional.empty();
    } catch (CelValidationException e) {
      return Optional.of(firstError(e.getMessage()));
    }
  }

  /**
   * Evaluates a condition. {@code nodes} maps node ids to their fields.
   *
   * @throws ConditionException when it does not compile, fails to evaluate (a missing field, a type mismatch), or
   *     does not give a boolean
   */
  public static boolean test(String expression, Object input, Map<String, Object> nodes) {
    Set<String> variables = variables(nodes.keySet());
    // Flows are few; a cache this large means expressions are generated per run: start over rather than grow.
    if (PROGRAMS.size() > MAX_PROGRAMS) PROGRAMS.clear();
    CelRuntime.Program program = PROGRAMS.computeIfAbsent(String.join(",", variables) + "\n" + expression, k -> {
      try {
        return RUNTIME.createProgram(compile(expression, variables));
      } catch (CelValidationException | CelEvaluationException e) {
        throw new ConditionException("does not compile: " + firstError(e.getMessage()));
      }
    });
    Map<String, Object> activation = new LinkedHashMap<>();
    activation.put("input", toCel(input == null ? Map.of() : input));
    Map<String, Object> all = new LinkedHashMap<>();
    for (var entry : nodes.entrySet()) {
      Object value = toCel(entry.getValue());
      all.put(entry.getKey(), value);
      if (variables.contains(entry.getKey())) activation.put(entry.getKey(), value);
    }
    activation.put("nodes", all);
    Object result;
    try {
      result = program.eval(activation);
    } catch (CelEvaluationException e) {
      throw new ConditionException(e.getMessage());
    } catch (RuntimeException e) {
      throw new ConditionException(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (!(result instanceof Boolean b)) {
      throw new ConditionException("gave " + (result == null ? "null" : result.getClass().getSimpleName())
          + ", not a boolean");
    }
    return b;
  }

  private static CelAbstractSyntaxTree compile(String expression, Set<String> variables)
      throws CelValidationException {
    CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("input", SimpleType.DYN)
        .addVar("nodes", SimpleType.DYN);
    for (String v : variables) builder.addVar(v, SimpleType.DYN);
    CelCompiler compiler = builder.build();
    return compiler.compile(expression).getAst();
  }

  /** The first error of a CEL report, without its source excerpt: "1:18: undeclared reference to 'x'". */
  private static String firstError(String report) {
    String line = report == null ? "" : report.strip().lines().findFirst().orElse("");
    return line.replaceFirst("^ERROR: <input>:", "").strip();
  }

  /** JSON values as CEL takes them: int64 and double numbers, string-keyed maps, lists, CEL's null. */
  static Object toCel(Object value) {
    if (value == null) return dev.cel.common.values.NullValue.NULL_VALUE;
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b) return b.longValue();
    if (value instanceof Float || value instanceof BigDecimal) return ((Number) value).doubleValue();
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(toCel(v)));
      return out;
    }
    return value;
  }

  /** A condition that could not be evaluated: the switch node fails with it. */
  public static final class ConditionException extends RuntimeException {
    public ConditionException(String message) {
      super(message, null, false, false);
    }
  }
}
