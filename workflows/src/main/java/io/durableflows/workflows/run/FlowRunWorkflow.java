package io.durableflows.workflows.run;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

@WorkflowInterface
public interface FlowRunWorkflow {
  String DELTAS_SIGNAL = "RunDeltas";
  String EVENTS_QUERY = "RunEvents";

  /** Runs the flow to its output node. Fails with type {@link RunFailures#NODE_FAILED} when a node fails. */
  @WorkflowMethod(name = "FlowRun")
  RunResult run(RunRequest request);

  /** Model deltas from the streaming LLM activity, batched (see {@link DeltaBatch}). */
  @SignalMethod(name = DELTAS_SIGNAL)
  void deltas(DeltaBatch batch);

  /**
   * The run's events after sequence number {@code afterSeq}. A query, not an update, so reading adds nothing to
   * the history however many readers poll.
   */
  @QueryMethod(name = EVENTS_QUERY)
  EventPage events(long afterSeq);

  /** Readable in Temporal UI and unique per run. */
  static String workflowId(String orgCode, String flowSlug, String runId) {
    return "run/" + orgCode + "/" + flowSlug + "/" + runId;
  }
}
