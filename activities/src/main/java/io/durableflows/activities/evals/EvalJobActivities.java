package io.durableflows.activities.evals;

import io.durableflows.activities.store.JdbcEvalStoreActivities;
import io.durableflows.workflows.evals.EvalActivities;
import io.durableflows.workflows.evals.EvalCall;
import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvalStoreActivities;
import io.durableflows.workflows.evals.EvalSummary;
import io.durableflows.workflows.run.RunRequest;

/**
 * Everything an eval job's workflow calls, as the one activity bean the workers register for it: the evaluations
 * themselves and the job's rows.
 */
public class EvalJobActivities implements EvalActivities, EvalStoreActivities {
  private final EvalActivitiesImpl evaluations;
  private final JdbcEvalStoreActivities store;

  public EvalJobActivities(EvalActivitiesImpl evaluations, JdbcEvalStoreActivities store) {
    this.evaluations = evaluations;
    this.store = store;
  }

  @Override
  public EvalResult evaluate(EvalCall call) {
    return evaluations.evaluate(call);
  }

  @Override
  public void jobStarted(EvalJobRequest request) {
    store.jobStarted(request);
  }

  @Override
  public void recordResult(String jobId, int index, EvalResult result) {
    store.recordResult(jobId, index, result);
  }

  @Override
  public void jobCompleted(String jobId, EvalSummary summary) {
    store.jobCompleted(jobId, summary);
  }

  @Override
  public RunRequest prepareEvalFlowRun(String childRunId, EvalCall call) {
    return store.prepareEvalFlowRun(childRunId, call);
  }
}
