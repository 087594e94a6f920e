package io.durableflows.api.runs;

import io.durableflows.api.credits.CreditService;
import io.durableflows.api.gateway.TemporalGateway;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Settles a run PostgreSQL shows running or waiting against its workflow: a workflow the server no longer knows
 * (an in-memory test server restarted) makes the run {@code lost}; one that ended without recording its outcome
 * (terminated, timed out) makes it {@code failed}. Either way the requests it waited on are closed and a credit
 * hold it took is released: no outcome will settle them.
 */
@Component
public class RunReconciler {
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final CreditService credits;

  RunReconciler(RunRepository runs, TemporalGateway temporal, CreditService credits) {
    this.runs = runs;
    this.temporal = temporal;
    this.credits = credits;
  }

  public enum Settled { ALIVE, LOST, FAILED }

  /**
   * @throws RuntimeException when Temporal could not be asked
   */
  public Settled settle(RunRecord run) {
    Optional<WorkflowExecutionStatus> status = temporal.status(run.workflowId());
    if (status.isEmpty()) {
      runs.markEnded(run.id(), RunRecord.LOST, "RunLost", "the run's workflow no longer exists on the Temporal "
          + "server (an in-memory test server was restarted); start the run again");
      credits.release(run.orgId(), run.id());
      return Settled.LOST;
    }
    if (status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
        && status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
      runs.markEnded(run.id(), "failed", "WorkflowEnded", "the run's workflow ended as "
          + status.get().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      credits.release(run.orgId(), run.id());
      return Settled.FAILED;
    }
    return Settled.ALIVE;
  }
}
