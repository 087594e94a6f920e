package io.durableflows.workflows.completions;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * One item of a completion operation as a retryable activity. A provider that is down or rate limited fails the
 * attempt (Temporal retries it); a provider that refuses the request fails it for good with a typed failure
 * ({@code LlmFailures}); an item of the wrong shape or a model answer that does not fit comes back as the
 * result's error, since retrying cannot change it.
 */
@ActivityInterface
public interface CompletionActivities {
  @ActivityMethod(name = "Complete")
  CompletionResult complete(CompletionCall call);
}
