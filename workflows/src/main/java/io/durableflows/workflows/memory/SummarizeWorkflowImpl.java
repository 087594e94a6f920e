package io.durableflows.workflows.memory;

import io.durableflows.workflows.run.ActivityPolicies;
import io.temporal.workflow.Workflow;

public class SummarizeWorkflowImpl implements SummarizeWorkflow {
  @Override
  public Summary summarize(SummaryRequest request) {
    MemoryActivities memory = Workflow.newActivityStub(MemoryActivities.class,
        ActivityPolicies.llm((SummaryRequest.TITLE.equals(request.kind()) ? "title" : "summary") + " of "
            + request.messages().size() + " messages"));
    Workflow.setCurrentDetails("summarising " + request.messages().size() + " messages");
    return memory.summarize(request);
  }
}
