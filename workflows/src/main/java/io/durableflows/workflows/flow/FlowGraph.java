package io.durableflows.workflows.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Graph queries over a flow's edges. Order is deterministic: ties keep the nodes' order in the document. */
public final class FlowGraph {
  private final FlowDefinition flow;
  private final Map<String, List<String>> incoming = new LinkedHashMap<>();
  private final Map<String, List<String>> outgoing = new LinkedHashMap<>();

  public FlowGraph(FlowDefinition flow) {
    this.flow = flow;
    for (var node : flow.nodes()) {
      incoming.put(node.id(), new ArrayList<>());
      outgoing.put(node.id(), new ArrayList<>());
    }
    for (var edge : flow.edges()) {
      if (incoming.containsKey(edge.target()) && outgoing.containsKey(edge.source())) {
        incoming.get(edge.target()).add(edge.source());
        outgoing.get(edge.source()).add(edge.target());
      }
    }
  }

  public FlowDefinition flow() {
    return flow;
  }

  /** Topological order, or empty when the edges form a cycle. */
  public Optional<List<FlowDefinition.FlowNode>> order() {
    Map<String, Integer> pending = new HashMap<>();
    incoming.forEach((id, sources) -> pending.put(id, sources.size()));
    List<FlowDefinition.FlowNode> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    boolean progressed = true;
    while (ordered.size() < flow.nodes().size() && progressed) {
      progressed = false;
      for (var node : flow.nodes()) {
        if (!done.contains(node.id()) && pending.get(node.id()) == 0) {
          done.add(node.id());
          ordered.add(node);
          outgoing.get(node.id()).forEach(t -> pending.merge(t, -1, Integer::sum));
          progressed = true;
          break;
        }
      }
    }
    return ordered.size() == flow.nodes().size() ? Optional.of(ordered) : Optional.empty();
  }

  /** Every node from which {@code id} can be reached. */
  public Set<String> ancestors(String id) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(incoming.getOrDefault(id, List.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(incoming.getOrDefault(next, List.of()));
      }
    }
    return seen;
  }

  /** Every node reachable from {@code id}. */
  public Set<String> descendants(String id) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(outgoing.getOrDefault(id, List.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(outgoing.getOrDefault(next, List.of()));
      }
    }
    return seen;
  }

  /** The targets of the edges leaving {@code id}, in document order, each once. */
  public List<String> successors(String id) {
    return outgoing.getOrDefault(id, List.of()).stream().distinct().toList();
  }

  public List<String> predecessors(String id) {
    return incoming.getOrDefault(id, List.of());
  }

  /** The edges into {@code id} whose source is a node of the flow, in document order. */
  public List<FlowDefinition.FlowEdge> edgesInto(String id) {
    return flow.edges().stream()
        .filter(e -> id.equals(e.target()) && outgoing.containsKey(e.source()))
        .toList();
  }
}
