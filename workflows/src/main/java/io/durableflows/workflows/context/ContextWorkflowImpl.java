package io.durableflows.workflows.context;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ContextWorkflowImpl implements ContextWorkflow {
  /** Reads and renders: short, retried a few times (a database hiccup), never for long. */
  public static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2)
          .setMaximumAttempts(4)
          .build())
      .build();

  @Override
  public ContextBlocks build(ContextRequest request) {
    String summary = (request.mode() == ContextRequest.Mode.PRELOAD ? "preload " : "build ")
        + (request.skills().size() + request.promptBlocks().size() + request.contextBlocks().size()) + " parts";
    return Workflow.newActivityStub(ContextActivities.class,
        ActivityOptions.newBuilder(OPTIONS).setSummary(summary).build()).build(request);
  }
}
