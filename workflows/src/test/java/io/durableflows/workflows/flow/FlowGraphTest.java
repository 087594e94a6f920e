package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.workflows.flow.FlowDefinition.FlowEdge;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowGraphTest {
  private static FlowDefinition flow(List<String> nodeIds, String... edges) {
    List<FlowNode> nodes = nodeIds.stream().map(id -> new FlowNode(id, "template", Map.of(), null)).toList();
    List<FlowEdge> edgeList = Arrays.stream(edges)
        .map(e -> e.split("->"))
        .map(e -> new FlowEdge(e[0] + "-" + e[1], e[0], e[1]))
        .toList();
    return new FlowDefinition("g", null, null, nodes, edgeList);
  }

  private static List<String> order(FlowDefinition flow) {
    return new FlowGraph(flow).order().orElseThrow().stream().map(FlowNode::id).toList();
  }

  @Test
  void order_withChain_followsTheEdges() {
    assertThat(order(flow(List.of("c", "b", "a"), "a->b", "b->c"))).containsExactly("a", "b", "c");
  }

  @Test
  void order_withTies_keepsDocumentOrder() {
    var diamond = flow(List.of("out", "right", "left", "in"), "in->left", "in->right", "left->out", "right->out");

    assertThat(order(diamond)).containsExactly("in", "right", "left", "out");
  }

  @Test
  void order_withUnconnectedNodes_keepsDocumentOrder() {
    assertThat(order(flow(List.of("z", "a", "m")))).containsExactly("z", "a", "m");
  }

  @Test
  void order_withReadyNodeEarlierInDocument_runsItBeforeLaterReadyNodes() {
    // b becomes ready after a; x is ready from the start but comes later in the document than b.
    assertThat(order(flow(List.of("a", "b", "x"), "a->b"))).containsExactly("a", "b", "x");
  }

  @Test
  void order_withDuplicateEdge_stillOrdersEveryNodeOnce() {
    assertThat(order(flow(List.of("b", "a"), "a->b", "a->b"))).containsExactly("a", "b");
  }

  @Test
  void order_withCycle_isEmpty() {
    assertThat(new FlowGraph(flow(List.of("a", "b", "c"), "a->b", "b->c", "c->b")).order()).isEmpty();
  }

  @Test
  void order_withEdgeToUnknownNode_ignoresTheEdge() {
    assertThat(order(flow(List.of("b", "a"), "a->b", "a->ghost"))).containsExactly("a", "b");
  }

  @Test
  void ancestors_includesTransitiveSourcesOnly() {
    var graph = new FlowGraph(flow(List.of("a", "b", "c", "d"), "a->b", "b->c", "d->a"));

    assertThat(graph.ancestors("c")).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(graph.ancestors("d")).isEmpty();
  }

  @Test
  void predecessors_listsDirectSourcesInEdgeOrder() {
    var graph = new FlowGraph(flow(List.of("a", "b", "c"), "b->c", "a->c"));

    assertThat(graph.predecessors("c")).containsExactly("b", "a");
  }
}
