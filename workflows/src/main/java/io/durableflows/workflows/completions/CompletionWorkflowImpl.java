package io.durableflows.workflows.completions;

import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.ActivityPolicies;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class CompletionWorkflowImpl implements CompletionWorkflow {
  @Override
  public CompletionResults complete(CompletionRequest request) {
    int n = request.items().size();
    int limit = request.concurrency() > 0 ? request.concurrency() : DEFAULT_CONCURRENCY;
    String workflowId = Workflow.getInfo().getWorkflowId();
    CompletionResult[] results = new CompletionResult[n];
    List<Promise<Void>> running = new ArrayList<>();
    int next = 0;
    while (next < n || !running.isEmpty()) {
      while (next < n && running.size() < limit) {
        int index = next++;
        CompletionActivities activities = Workflow.newActivityStub(CompletionActivities.class,
            ActivityOptions.newBuilder(ActivityPolicies.COMPLETION)
                .setSummary(request.operation() + " item " + index + " · "
                    + ActivityPolicies.modelTarget(request.provider(), request.model()))
                .build());
        CompletionCall call = new CompletionCall(workflowId + "/" + index, request.orgCode(), request.operation(),
            request.options(), request.items().get(index), request.provider(), request.model());
        running.add(Async.function(activities::complete, call).handle((result, failure) -> {
          results[index] = failure == null ? result : failed(failure);
          return null;
        }));
      }
      Workflow.setCurrentDetails(request.operation() + ": " + (next - running.size()) + " of " + n + " items done");
      Promise.anyOf(running).get();
      running.removeIf(Promise::isCompleted);
    }
    return new CompletionResults(Arrays.asList(results));
  }

  /** An item whose activity failed for good (retries spent, or a non-retryable provider failure). */
  private static CompletionResult failed(RuntimeException failure) {
    Throwable cause = failure instanceof ActivityFailure a && a.getCause() != null ? a.getCause() : failure;
    if (cause instanceof ApplicationFailure app) {
      return new CompletionResult(null, CompletionFailures.code(app.getType()), app.getOriginalMessage(), Usage.ZERO,
          0, 0);
    }
    if (cause instanceof TimeoutFailure) {
      return new CompletionResult(null, CompletionFailures.TIMEOUT, "the item timed out on every attempt",
          Usage.ZERO, 0, 0);
    }
    return new CompletionResult(null, "failed", cause.getMessage(), Usage.ZERO, 0, 0);
  }
}
