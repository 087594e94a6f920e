package io.durableflows.workflows.tools;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ToolDryRunWorkflowImpl implements ToolDryRunWorkflow {
  /** Timeouts of the tool itself are the activity's; this is the outer bound, a little later. */
  static final Duration SLACK = Duration.ofSeconds(2);

  @Override
  public ToolDryRunResult run(ToolDryRunRequest request) {
    long budget = Math.min(Math.max(request.timeoutMs(), 1), ToolDryRunRequest.MAX_TIMEOUT_MS);
    ToolDryRunActivities activities = Workflow.newActivityStub(ToolDryRunActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMillis(budget).plus(SLACK))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .setSummary("dry run: " + request.definition().name())
            .build());
    long started = Workflow.currentTimeMillis();
    try {
      return ToolDryRunResult.success(activities.dryRun(request));
    } catch (ActivityFailure e) {
      long took = Workflow.currentTimeMillis() - started;
      if (e.getCause() instanceof ApplicationFailure af) {
        return ToolDryRunResult.failure(af.getType(), af.getOriginalMessage(), took);
      }
      if (e.getCause() instanceof TimeoutFailure) {
        return ToolDryRunResult.failure(ToolFailures.HTTP_TOOL_UNAVAILABLE,
            "the tool did not answer within " + budget + " ms", took);
      }
      String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      return ToolDryRunResult.failure("ToolFailed", message, took);
    }
  }
}
