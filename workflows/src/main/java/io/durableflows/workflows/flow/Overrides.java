package io.durableflows.workflows.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Per-run node property overrides with keys {@code node/<node_id>.<property>} (reference 001's "override"). */
public final class Overrides {
  private static final Pattern KEY = Pattern.compile("^node/([A-Za-z0-9_-]+)\\.([A-Za-z][A-Za-z0-9_]*)$");

  private Overrides() {}

  /**
   * Returns the flow with the overrides applied, validated as a whole.
   *
   * @throws InvalidFlowException for a malformed key, an unknown node or property, or a value the node rejects
   */
  public static FlowDefinition apply(FlowDefinition flow, Map<String, Object> overrides) {
    if (overrides == null || overrides.isEmpty()) {
      return flow;
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
    for (var entry : overrides.entrySet()) {
      String field = "options.override." + entry.getKey();
      Matcher m = KEY.matcher(entry.getKey());
      if (!m.matches()) {
        errors.add(FieldError.of(field, "keys look like node/<node_id>.<property>"));
        continue;
      }
      var node = flow.node(m.group(1));
      if (node == null) {
        errors.add(FieldError.of(field, "no node '" + m.group(1) + "' in this flow"));
        continue;
      }
      var kind = NodeKind.of(node.type()).orElseThrow();
      if (!kind.properties().contains(m.group(2)) || m.group(2).equals("variables")) {
        errors.add(FieldError.of(field, node.type() + " nodes have no overridable property '" + m.group(2) + "'"));
        continue;
      }
      changes.computeIfAbsent(node.id(), k -> new LinkedHashMap<>()).put(m.group(2), entry.getValue());
    }
    if (!errors.isEmpty()) {
      throw new InvalidFlowException("invalid override", errors);
    }
    List<FlowDefinition.FlowNode> nodes = new ArrayList<>();
    for (var node : flow.nodes()) {
      Map<String, Object> change = changes.get(node.id());
      if (change == null) {
        nodes.add(node);
      } else {
        Map<String, Object> data = new LinkedHashMap<>(node.data());
        data.putAll(change);
        nodes.add(node.withData(data));
      }
    }
    FlowDefinition result = flow.withNodes(nodes);
    List<FieldError> invalid = FlowValidator.validate(result).stream()
        .map(e -> FieldError.of("options.override.node/" + e.node() + "." + e.field().replaceFirst("^data\\.", ""),
            e.message()))
        .toList();
    if (!invalid.isEmpty()) {
      throw new InvalidFlowException("override makes the flow invalid", invalid);
    }
    return result;
  }
}
