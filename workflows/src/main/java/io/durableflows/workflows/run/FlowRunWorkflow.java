package io.durableflows.workflows.run;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

@WorkflowInterface
public interface FlowRunWorkflow {
  String DELTAS_SIGNAL = "RunDeltas";
  String EVENTS_QUERY = "RunEvents";
  String RESPOND_UPDATE = "Respond";
  String ANSWER_SIGNAL = "Answer";
  String PENDING_QUERY = "PendingRequests";

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

  /**
   * A person answers one of the run's requests (approve, deny, cancel, or answer a question). Completes once the
   * run has taken the answer and recorded it, with how the request ended.
   */
  @UpdateMethod(name = RESPOND_UPDATE)
  HumanResolution respond(HumanAnswer answer);

  /**
   * Refuses, before anything is written to the history, an answer to an unknown, answered, expired or cancelled
   * request, and one that does not fit it. The refusal's innermost cause is an {@code ApplicationFailure} whose
   * type is one of {@code HitlFailures}.
   */
  @UpdateValidatorMethod(updateName = RESPOND_UPDATE)
  void validateRespond(HumanAnswer answer);

  /**
   * The same answer, fire and forget: applied when the run next runs (even if no worker is up now); an answer the
   * run refuses is noted in its event log as a {@code status} {@code answer_rejected} event.
   */
  @SignalMethod(name = ANSWER_SIGNAL)
  void answer(HumanAnswer answer);

  /** The requests the run waits on now. */
  @QueryMethod(name = PENDING_QUERY)
  List<HumanRequest> pending();

  /** Readable in Temporal UI and unique per run. */
  static String workflowId(String orgCode, String flowSlug, String runId) {
    return "run/" + orgCode + "/" + flowSlug + "/" + runId;
  }
}
