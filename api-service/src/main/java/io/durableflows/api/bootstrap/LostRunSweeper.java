package io.durableflows.api.bootstrap;

import io.durableflows.api.credits.CreditService;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, settles runs PostgreSQL shows as running: a workflow the server no longer knows (an in-memory test
 * server restarted) makes the run {@code lost}; a workflow that ended without recording its outcome (terminated,
 * timed out) makes it {@code failed}. Either way a credit hold the run took is released: no outcome will settle
 * it. Running ones are left alone.
 */
@Component
class LostRunSweeper {
  private static final Logger log = LoggerFactory.getLogger(LostRunSweeper.class);
  private static final int BATCH = 500;
  private final RunRepository runs;
  private final TemporalGateway temporal;
  private final CreditService credits;

  LostRunSweeper(RunRepository runs, TemporalGateway temporal, CreditService credits) {
    this.runs = runs;
    this.temporal = temporal;
    this.credits = credits;
  }

  @EventListener(ApplicationReadyEvent.class)
  void sweep() {
    int lost = 0;
    int ended = 0;
    try {
      for (RunRecord run : runs.active(BATCH)) {
        Optional<WorkflowExecutionStatus> status = temporal.status(run.workflowId());
        if (status.isEmpty()) {
          runs.markEnded(run.id(), RunRecord.LOST, "RunLost", "the run's workflow no longer exists on the Temporal "
              + "server (an in-memory test server was restarted); start the run again");
          credits.release(run.orgId(), run.id());
          lost++;
        } else if (status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
            && status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
            && status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
          runs.markEnded(run.id(), "failed", "WorkflowEnded", "the run's workflow ended as "
              + status.get().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
          credits.release(run.orgId(), run.id());
          ended++;
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not check running runs against Temporal: {}", e.getMessage());
      return;
    }
    if (lost + ended > 0) log.warn("start-up sweep: {} runs marked lost, {} marked failed", lost, ended);
  }
}
