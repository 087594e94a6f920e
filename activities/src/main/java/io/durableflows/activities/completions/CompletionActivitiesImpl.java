package io.durableflows.activities.completions;

import io.durableflows.workflows.completions.CompletionActivities;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionResult;

/** The {@code Complete} activity: one item through the {@link CompletionRunner}. */
public class CompletionActivitiesImpl implements CompletionActivities {
  private final CompletionRunner runner;

  public CompletionActivitiesImpl(CompletionRunner runner) {
    this.runner = runner;
  }

  @Override
  public CompletionResult complete(CompletionCall call) {
    return runner.run(call);
  }
}
