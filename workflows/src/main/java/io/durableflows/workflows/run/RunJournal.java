package io.durableflows.workflows.run;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.events.RunEventsDoorbell;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The run's ordered event log, kept in workflow state: readers query it by sequence number, the final outcome
 * persists it to PostgreSQL. Model deltas arrive as signals from the streaming activity; only those of the node
 * now running are kept, once per batch.
 */
final class RunJournal {
  private final List<RunEvent> events = new ArrayList<>();
  private final Map<String, int[]> lastBatch = new HashMap<>();
  /** The nodes whose model calls stream now (more than one on parallel branches). */
  private final java.util.Set<String> streamingNodes = new java.util.HashSet<>();
  private boolean finished;

  RunEvent append(String type, String node, Map<String, Object> data) {
    RunEvent event = new RunEvent(events.size() + 1L, type, node, data);
    events.add(event);
    if (event.terminal()) finished = true;
    if (!Workflow.isReplaying()) RunEventsDoorbell.publish(Workflow.getInfo().getWorkflowId(), event);
    return event;
  }

  /**
   * Runs a model call whose deltas belong to {@code node}: they are accepted only while it runs. Each call starts
   * its batch count afresh, since an agent node streams one model call per turn.
   */
  <T> T streamed(String node, Supplier<T> call) {
    streamingNodes.add(node);
    lastBatch.remove(node);
    try {
      return call.get();
    } finally {
      streamingNodes.remove(node);
    }
  }

  void delta(DeltaBatch batch) {
    if (batch == null || batch.nodeId() == null || !streamingNodes.contains(batch.nodeId())) return;
    int[] seen = lastBatch.get(batch.nodeId());
    if (seen != null && (batch.attempt() < seen[0] || batch.attempt() == seen[0] && batch.batch() <= seen[1])) {
      return;
    }
    if (seen != null && batch.attempt() > seen[0]) {
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("state", "retrying");
      retry.put("attempt", batch.attempt());
      append(RunEvent.STATUS, batch.nodeId(), retry);
    }
    lastBatch.put(batch.nodeId(), new int[] {batch.attempt(), batch.batch()});
    if (batch.text() != null && !batch.text().isEmpty()) {
      append(RunEvent.MESSAGE, batch.nodeId(), Map.of("text", batch.text()));
    }
  }

  EventPage after(long seq) {
    int from = (int) Math.max(0, Math.min(seq, events.size()));
    return new EventPage(List.copyOf(events.subList(from, events.size())), finished);
  }

  /** What a node has streamed so far, in its latest attempt: a cancelled run keeps it as its partial output. */
  String streamedText(String node) {
    StringBuilder text = new StringBuilder();
    for (RunEvent e : events) {
      if (node == null || !node.equals(e.node())) continue;
      if (RunEvent.STATUS.equals(e.type()) && "retrying".equals(e.data().get("state"))) text.setLength(0);
      if (RunEvent.MESSAGE.equals(e.type())) text.append(e.text());
    }
    return text.toString();
  }

  List<RunEvent> all() {
    return List.copyOf(events);
  }
}
