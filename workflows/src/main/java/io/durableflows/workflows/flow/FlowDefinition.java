package io.durableflows.workflows.flow;

import java.util.List;
import java.util.Map;

/**
 * A flow as a visual canvas saves it: nodes with kind-specific {@code data}, and edges between them.
 * The JSON Schema of this document is {@code schema/flow.schema.json} in this module.
 */
public record FlowDefinition(
    String slug, String name, String description, List<FlowNode> nodes, List<FlowEdge> edges) {

  public FlowDefinition {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    edges = edges == null ? List.of() : List.copyOf(edges);
  }

  public record FlowNode(String id, String type, Map<String, Object> data, Map<String, Object> position) {
    public FlowNode {
      data = data == null ? Map.of() : data;
    }

    public FlowNode withData(Map<String, Object> newData) {
      return new FlowNode(id, type, newData, position);
    }
  }

  public record FlowEdge(String id, String source, String target) {}

  public FlowNode node(String id) {
    return nodes.stream().filter(n -> id.equals(n.id())).findFirst().orElse(null);
  }

  public List<FlowNode> nodesOfType(String type) {
    return nodes.stream().filter(n -> type.equals(n.type())).toList();
  }

  public FlowDefinition withNodes(List<FlowNode> newNodes) {
    return new FlowDefinition(slug, name, description, newNodes, edges);
  }
}
