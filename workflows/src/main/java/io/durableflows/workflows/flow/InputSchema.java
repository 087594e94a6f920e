package io.durableflows.workflows.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The flow's input contract, built from its {@code input} nodes. */
public final class InputSchema {
  private final List<InputVariable> variables;

  private InputSchema(List<InputVariable> variables) {
    this.variables = variables;
  }

  public static InputSchema of(FlowDefinition flow) {
    List<InputVariable> all = new ArrayList<>();
    for (var node : flow.nodesOfType(NodeKind.INPUT.type())) {
      all.addAll(InputVariable.fromNode(node));
    }
    return new InputSchema(List.copyOf(all));
  }

  public List<InputVariable> variables() {
    return variables;
  }

  /** The input as a JSON Schema document (draft 2020-12), for docs and clients. */
  public Map<String, Object> toJsonSchema() {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (InputVariable v : variables) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", v.type());
      if (v.description() != null) p.put("description", v.description());
      if (v.enumValues() != null) p.put("enum", v.enumValues());
      if (v.defaultValue() != null) p.put("default", v.defaultValue());
      properties.put(v.name(), p);
      if (v.required()) required.add(v.name());
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  /**
   * Checks {@code input} against the declared variables and returns it with defaults filled in.
   *
   * @throws InvalidFlowException naming every bad field as {@code input.<name>}
   */
  public Map<String, Object> validate(Map<String, Object> input) {
    Map<String, Object> given = input == null ? Map.of() : input;
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> result = new LinkedHashMap<>();
    for (InputVariable v : variables) {
      String field = "input." + v.name();
      Object value = given.get(v.name());
      if (value == null) {
        if (v.defaultValue() != null) {
          result.put(v.name(), v.defaultValue());
        } else if (v.required()) {
          errors.add(FieldError.of(field, "is required"));
        }
        continue;
      }
      if (!v.accepts(value)) {
        errors.add(FieldError.of(field, "must be of type " + v.type() + " but was " + JsonTypes.describe(value)));
        continue;
      }
      if (v.enumValues() != null && !enumContains(v.enumValues(), value)) {
        errors.add(FieldError.of(field, "must be one of " + v.enumValues()));
        continue;
      }
      result.put(v.name(), value);
    }
    for (String key : given.keySet()) {
      if (variables.stream().noneMatch(v -> v.name().equals(key))) {
        errors.add(FieldError.of("input." + key, "is not an input variable of this flow"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidFlowException("input does not match the flow's input schema", errors);
    }
    return result;
  }

  static boolean enumContains(List<?> allowed, Object value) {
    for (Object a : allowed) {
      if (a.equals(value)) return true;
      if (a instanceof Number x && value instanceof Number y && x.doubleValue() == y.doubleValue()) return true;
    }
    return false;
  }
}
