package io.durableflows.workflows.tools;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools every worker has, needing no configuration. Their code is in the activities module. */
public final class BuiltInTools {
  public static final String CALCULATOR = "calculator";
  public static final String CURRENT_TIME = "current_time";
  public static final String JSON_PATH = "json_path";

  private static final List<ToolSpec> ALL = List.of(
      new ToolSpec(CALCULATOR,
          "Evaluates an arithmetic expression: + - * / % ^, parentheses, and sqrt, abs, round, floor, ceil, min, max.",
          Map.of("type", "object",
              "required", List.of("expression"),
              "additionalProperties", false,
              "properties", Map.of("expression",
                  Map.of("type", "string", "minLength", 1, "maxLength", 500,
                      "description", "e.g. (12.5 + 7) * 3"))),
          ToolApprovalPolicy.NEVER_POLICY),
      new ToolSpec(CURRENT_TIME,
          "The current date and time in a time zone (IANA name, default UTC), as ISO-8601.",
          Map.of("type", "object",
              "additionalProperties", false,
              "properties", Map.of("timezone",
                  Map.of("type", "string", "minLength", 1, "maxLength", 64, "description", "e.g. Europe/Paris"))),
          ToolApprovalPolicy.NEVER_POLICY),
      new ToolSpec(JSON_PATH,
          "Extracts a value from JSON with a path such as $.items[0].name or $.items[*].price.",
          Map.of("type", "object",
              "required", List.of("json", "path"),
              "additionalProperties", false,
              "properties", Map.of(
                  "json", Map.of("description", "The document to read"),
                  "path", Map.of("type", "string", "pattern", "^\\$", "maxLength", 500))),
          ToolApprovalPolicy.NEVER_POLICY));

  private BuiltInTools() {}

  public static List<ToolSpec> all() {
    return ALL;
  }

  public static Optional<ToolSpec> find(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(ToolSpec::name).toList();
  }
}
