package io.durableflows.activities.tools;

import static io.durableflows.activities.tools.Tool.invalidArguments;
import static io.durableflows.activities.tools.Tool.toolError;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The JSONPath subset the {@code json_path} tool reads: {@code $} (the document), {@code .name} and
 * {@code ['name']} (a member; {@code \} escapes the next character in a quoted name), {@code [2]} and {@code [-1]}
 * (an element, negative counting from the end), {@code .*} and {@code [*]} (every element of an array or every
 * member value of an object) and {@code ..name}, {@code ..*}, {@code ..[0]} (the selector applied to a node and
 * all its descendants). Slices, unions and filters are not supported and are rejected as such.
 *
 * <p>Only what a step selects carries on: a member of an array, an index into an object or anything of a scalar
 * selects nothing. A path that selects nothing fails, saying at which step it ran out.
 */
final class JsonPath {
  static final int MAX_LENGTH = 500;
  private static final Wildcard WILDCARD = new Wildcard();

  sealed interface Selector permits Member, Index, Wildcard {}

  record Member(String name) implements Selector {}

  record Index(int index) implements Selector {}

  record Wildcard() implements Selector {}

  /** A selector applied to each current node, or to each and all its descendants; {@code source} is as written. */
  record Step(Selector selector, boolean descendants, String source) {}

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  static JsonPath compile(String path) {
    if (path.length() > MAX_LENGTH) throw invalidArguments("the path is longer than " + MAX_LENGTH + " characters");
    return new JsonPath(path, new Parser(path).parse());
  }

  /** Selects at most one value: no wildcard, no descent. */
  boolean definite() {
    return steps.stream().noneMatch(s -> s.descendants() || s.selector() instanceof Wildcard);
  }

  /** What the path selects in {@code root}, in document order; never empty. */
  List<JsonNode> select(JsonNode root) {
    List<JsonNode> current = List.of(root);
    StringBuilder at = new StringBuilder("$");
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (step.descendants()) {
          for (JsonNode n : selfAndDescendants(node)) apply(step.selector(), n, next);
        } else {
          apply(step.selector(), node, next);
        }
      }
      if (next.isEmpty()) throw toolError("no value at path " + text + ": " + why(step, current, at.toString()));
      current = next;
      at.append(step.source());
    }
    return current;
  }

  private static void apply(Selector selector, JsonNode node, List<JsonNode> into) {
    switch (selector) {
      case Member m -> {
        if (node.isObject() && node.has(m.name())) into.add(node.get(m.name()));
      }
      case Index i -> {
        int index = i.index() < 0 ? node.size() + i.index() : i.index();
        if (node.isArray() && index >= 0 && index < node.size()) into.add(node.get(index));
      }
      case Wildcard w -> {
        if (node.isContainerNode()) node.forEach(into::add);
      }
    }
  }

  /** Pre-order without recursion: a deep document must not cost a deep stack. */
  private static List<JsonNode> selfAndDescendants(JsonNode root) {
    List<JsonNode> all = new ArrayList<>();
    Deque<JsonNode> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      JsonNode node = stack.pop();
      all.add(node);
      List<JsonNode> children = new ArrayList<>();
      node.forEach(children::add);
      for (int i = children.size() - 1; i >= 0; i--) stack.push(children.get(i));
    }
    return all;
  }

  private static String why(Step step, List<JsonNode> nodes, String at) {
    if (nodes.size() > 1 || step.descendants()) return "nothing under " + at + " matches " + step.source();
    JsonNode node = nodes.getFirst();
    return switch (step.selector()) {
      case Member m -> node.isObject() ? at + " has no member '" + m.name() + "'"
          : at + " is " + kind(node) + ", not an object";
      case Index i -> node.isArray() ? at + " has " + node.size() + " element" + (node.size() == 1 ? "" : "s")
          + ", none at index " + i.index() : at + " is " + kind(node) + ", not an array";
      case Wildcard w -> node.isContainerNode() ? at + " is " + kind(node) + " with nothing in it"
          : at + " is " + kind(node) + ", neither an array nor an object";
    };
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING, BINARY -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
    };
  }

  private static final class Parser {
    private final String path;
    private final List<Step> steps = new ArrayList<>();
    private int pos;

    Parser(String path) {
      this.path = path;
    }

    List<Step> parse() {
      if (!path.startsWith("$")) throw invalidArguments("a path starts with '$', e.g. $.items[0].name");
      pos = 1;
      while (pos < path.length()) {
        int start = pos;
        boolean descendants = false;
        Selector selector;
        if (peek() == '.') {
          pos++;
          if (peek() == '.') {
            descendants = true;
            pos++;
          }
          if (descendants && peek() == '[') {
            selector = bracket();
          } else if (peek() == '*') {
            pos++;
            selector = WILDCARD;
          } else {
            selector = new Member(name());
          }
        } else if (peek() == '[') {
          selector = bracket();
        } else {
          throw invalidArguments("unexpected '" + peek() + "' at position " + (pos + 1) + " of the path: expected "
              + "'.' or '['");
        }
        steps.add(new Step(selector, descendants, path.substring(start, pos)));
      }
      return List.copyOf(steps);
    }

    private String name() {
      int start = pos;
      while (pos < path.length() && isNameChar(path.charAt(pos))) pos++;
      if (pos == start) {
        throw invalidArguments(pos < path.length()
            ? "unexpected '" + peek() + "' at position " + (pos + 1) + " of the path: expected a name or '*'"
            : "the path ends at position " + (pos + 1) + " where a name or '*' was expected");
      }
      return path.substring(start, pos);
    }

    /** Letters, digits and {@code _ - $}: other names go in brackets, {@code ['first name']}. */
    private static boolean isNameChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
    }

    private Selector bracket() {
      int open = pos++;
      skipSpace();
      Selector selector;
      char c = peek();
      if (c == '*') {
        pos++;
        selector = WILDCARD;
      } else if (c == '\'' || c == '"') {
        selector = new Member(quoted());
      } else if (c == '-' || Character.isDigit(c)) {
        selector = new Index(index());
      } else {
        throw unsupported("an index, a quoted name or '*'");
      }
      skipSpace();
      if (peek() != ']') throw unsupported("']' to close the '[' at position " + (open + 1));
      pos++;
      return selector;
    }

    private String quoted() {
      int start = pos;
      char quote = path.charAt(pos++);
      StringBuilder name = new StringBuilder();
      while (pos < path.length()) {
        char c = path.charAt(pos++);
        if (c == quote) return name.toString();
        if (c == '\\' && pos < path.length()) c = path.charAt(pos++);
        name.append(c);
      }
      throw invalidArguments("the name quoted at position " + (start + 1) + " of the path has no closing " + quote);
    }

    private int index() {
      int start = pos;
      if (peek() == '-') pos++;
      while (Character.isDigit(peek())) pos++;
      String digits = path.substring(start, pos);
      try {
        return Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        throw invalidArguments("'" + digits + "' at position " + (start + 1) + " of the path is not a usable index");
      }
    }

    private ApplicationFailure unsupported(String expected) {
      if (pos >= path.length()) {
        return invalidArguments("the path ends at position " + (pos + 1) + " where " + expected + " was expected");
      }
      return invalidArguments("unexpected '" + peek() + "' at position " + (pos + 1) + " of the path: expected "
          + expected + " (slices, unions and filters are not supported)");
    }

    private void skipSpace() {
      while (pos < path.length() && path.charAt(pos) == ' ') pos++;
    }

    private char peek() {
      return pos < path.length() ? path.charAt(pos) : '\0';
    }
  }
}
