package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPathToolTest {
  private static final Map<String, Object> DOC = Map.of("items", List.of(
      Map.of("name", "apple", "price", 1.5, "stock", Map.of("shelf", 3)),
      Map.of("name", "pen", "price", 2, "stock", Map.of("shelf", 0))),
      "open", true);
  private final JsonPathTool tool = new JsonPathTool(new ObjectMapper());

  private Tool.Output run(Object json, String path) {
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("json", json);
    arguments.put("path", path);
    return tool.run(arguments);
  }

  private static Object value(Tool.Output out) {
    return ((Map<?, ?>) out.output()).get("value");
  }

  private ApplicationFailure failureOf(Object json, String path) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, () -> run(json, path));
    assertThat(failure).isNotNull();
    return failure;
  }

  @Test
  void run_withStringValue_returnsPathAndValueAndThePlainStringAsText() {
    Tool.Output out = run(DOC, "$.items[0].name");

    assertThat(out.output()).isEqualTo(Map.of("path", "$.items[0].name", "value", "apple"));
    assertThat(out.text()).isEqualTo("apple");
  }

  @Test
  void run_withNumberValue_givesTheNumberAndItsJsonText() {
    Tool.Output out = run(DOC, "$.items[0].price");

    assertThat(value(out)).isEqualTo(1.5);
    assertThat(out.text()).isEqualTo("1.5");
  }

  @Test
  void run_withBooleanValue_givesJsonText() {
    assertThat(run(DOC, "$.open").text()).isEqualTo("true");
  }

  @Test
  void run_withObjectValue_givesAMapAndJsonText() {
    Tool.Output out = run(DOC, "$.items[1].stock");

    assertThat(value(out)).isEqualTo(Map.of("shelf", 0));
    assertThat(out.text()).isEqualTo("{\"shelf\":0}");
  }

  @Test
  void run_withWildcard_givesAListAndItsJsonText() {
    Tool.Output out = run(DOC, "$.items[*].name");

    assertThat(value(out)).isEqualTo(List.of("apple", "pen"));
    assertThat(out.text()).isEqualTo("[\"apple\",\"pen\"]");
  }

  @Test
  void run_withWildcardMatchingOneValue_stillGivesAList() {
    assertThat(value(run(Map.of("a", List.of("only")), "$.a[*]"))).isEqualTo(List.of("only"));
  }

  @Test
  void run_withRecursiveDescent_givesAList() {
    assertThat(value(run(DOC, "$..shelf"))).isEqualTo(List.of(3, 0));
  }

  @Test
  void run_withJsonAsText_readsTheText() {
    Tool.Output out = run("{\"a\": [10, 20, 30]}", "$.a[-1]");

    assertThat(value(out)).isEqualTo(30);
    assertThat(out.text()).isEqualTo("30");
  }

  @Test
  void run_withJsonTextOfAString_readsTheString() {
    assertThat(run("\"hello\"", "$").text()).isEqualTo("hello");
  }

  @Test
  void run_withNullDocument_givesNullForTheRoot() {
    Tool.Output out = run(null, "$");

    assertThat(value(out)).isNull();
    assertThat(((Map<?, ?>) out.output()).containsKey("value")).isTrue();
    assertThat(out.text()).isEqualTo("null");
  }

  @Test
  void run_withArrayDocument_readsIt() {
    assertThat(value(run(List.of(1, List.of(2, 3)), "$[1][0]"))).isEqualTo(2);
  }

  @Test
  void run_withInvalidJsonText_failsInvalidArgumentsWithWhere() {
    ApplicationFailure failure = failureOf("{\"a\": 1,", "$.a");

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).startsWith("json is a string but not JSON text").contains("line 1");
  }

  @Test
  void run_withTrailingTextAfterJson_failsInvalidArguments() {
    assertThat(failureOf("{\"a\": 1} trailing", "$.a").getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
  }

  @Test
  void run_withPlainWordAsJson_failsInvalidArguments() {
    assertThat(failureOf("hello", "$").getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
  }

  @Test
  void run_withEmptyJsonText_failsInvalidArguments() {
    ApplicationFailure failure = failureOf("  ", "$");

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("json is an empty string");
  }

  @Test
  void run_withMalformedPath_failsInvalidArgumentsBeforeReadingTheDocument() {
    ApplicationFailure failure = failureOf("not json", "$[");

    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains("the path ends");
  }

  @Test
  void run_withNoValueAtPath_failsToolError() {
    ApplicationFailure failure = failureOf(DOC, "$.items[0].colour");

    assertThat(failure.getType()).isEqualTo(ToolFailures.TOOL_ERROR);
    assertThat(failure.getOriginalMessage()).startsWith("no value at path $.items[0].colour");
  }
}
