package io.durableflows.api.flows;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowDefinition.FlowEdge;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a flow document (as saved by a canvas, e.g. a file of examples/flows/) into the flow model. */
final class FlowDocuments {
  private FlowDocuments() {}

  @SuppressWarnings("unchecked")
  static FlowDefinition parse(Map<String, Object> doc) {
    List<FieldError> errors = new ArrayList<>();
    List<FlowNode> nodes = new ArrayList<>();
    List<FlowEdge> edges = new ArrayList<>();
    Object rawNodes = doc.get("nodes");
    if (!(rawNodes instanceof List<?> nodeList)) {
      errors.add(FieldError.of("nodes", "is required: an array of nodes"));
    } else {
      for (int i = 0; i < nodeList.size(); i++) {
        if (!(nodeList.get(i) instanceof Map<?, ?> n)) {
          errors.add(FieldError.of("nodes[" + i + "]", "must be an object"));
          continue;
        }
        Object data = n.get("data");
        if (data != null && !(data instanceof Map)) {
          errors.add(FieldError.of("nodes[" + i + "].data", "must be an object"));
          continue;
        }
        Object position = n.get("position");
        nodes.add(new FlowNode(string(n.get("id")), string(n.get("type")), (Map<String, Object>) data,
            position instanceof Map ? (Map<String, Object>) position : null));
      }
    }
    Object rawEdges = doc.get("edges");
    if (rawEdges != null && !(rawEdges instanceof List)) {
      errors.add(FieldError.of("edges", "must be an array of edges"));
    } else if (rawEdges != null) {
      List<?> edgeList = (List<?>) rawEdges;
      for (int i = 0; i < edgeList.size(); i++) {
        if (!(edgeList.get(i) instanceof Map<?, ?> e)) {
          errors.add(FieldError.of("edges[" + i + "]", "must be an object"));
          continue;
        }
        edges.add(new FlowEdge(string(e.get("id")), string(e.get("source")), string(e.get("target")),
            string(e.get("sourceHandle"))));
      }
    }
    for (String key : List.of("slug", "name", "description")) {
      if (doc.get(key) != null && !(doc.get(key) instanceof String)) {
        errors.add(FieldError.of(key, "must be a string"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid("invalid_flow", "the flow definition is invalid", errors);
    }
    return new FlowDefinition(string(doc.get("slug")), string(doc.get("name")), string(doc.get("description")),
        nodes, edges);
  }

  private static String string(Object o) {
    return o instanceof String s ? s : null;
  }
}
