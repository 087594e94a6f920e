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

  /**
   * {@code sourceHandle} picks the branch of a node that has more than one way out: {@code approved} or
   * {@code denied} on edges leaving an approval or tool node (none means approved). Canvases save handles on
   * other edges too; those carry no meaning here.
   */
  public record FlowEdge(String id, String source, String target, String sourceHandle) {
    public FlowEdge(String id, String source, String target) {
      this(id, source, target, null);
    }
  }

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
