package io.durableflows.workflows.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One typed variable declared by an {@code input} node; together they make the flow's input schema. */
public record InputVariable(
    String name, String type, boolean required, Object defaultValue, List<Object> enumValues, String description) {

  public static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array");

  @SuppressWarnings("unchecked")
  static List<InputVariable> fromNode(FlowDefinition.FlowNode node) {
    Object raw = node.data().get("variables");
    List<InputVariable> variables = new ArrayList<>();
    if (!(raw instanceof List<?> list)) {
      return variables;
    }
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        Map<String, Object> v = (Map<String, Object>) m;
        Object enumValues = v.get("enum");
        variables.add(new InputVariable(
            v.get("name") instanceof String s ? s : null,
            v.get("type") instanceof String s ? s : "string",
            Boolean.TRUE.equals(v.get("required")),
            v.get("default"),
            enumValues instanceof List<?> e ? List.copyOf((List<Object>) e) : null,
            v.get("description") instanceof String s ? s : null));
      }
    }
    return variables;
  }

  /** Whether {@code value} (as decoded from JSON) has this variable's type. */
  public boolean accepts(Object value) {
    return JsonTypes.matches(type, value);
  }
}
