package io.durableflows.workflows.batches;

import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.FlowRunWorkflow;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/** A flow run that answers at once, or fails when its question is {@code q3}: the child of flow batch items. */
public class FakeFlowRun implements FlowRunWorkflow {
  @Override
  public RunResult run(RunRequest request) {
    if ("q3".equals(request.input().get("question"))) {
      throw ApplicationFailure.newNonRetryableFailure("node 'answer' failed: rejected", "NodeFailed");
    }
    return new RunResult(request.runId(), "raw", "answer to " + request.input().get("question"), "", "m",
        new Usage(3, 4), 0.001, List.of());
  }

  @Override
  public void deltas(DeltaBatch batch) {}

  @Override
  public EventPage events(long afterSeq) {
    return null;
  }

  @Override
  public HumanResolution respond(HumanAnswer answer) {
    return null;
  }

  @Override
  public void validateRespond(HumanAnswer answer) {}

  @Override
  public void answer(HumanAnswer answer) {}

  @Override
  public List<HumanRequest> pending() {
    return List.of();
  }
}
