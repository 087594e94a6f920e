package io.durableflows.api.experiments;

import io.durableflows.api.gateway.TemporalGateway;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, settles the experiments PostgreSQL shows as running against their workflows, as runs are settled: one
 * whose workflow the server no longer knows (an in-memory test server restarted) becomes {@code lost}, one whose
 * workflow ended without recording it (terminated, timed out) {@code failed}. Their finished rows stay.
 */
@Component
class LostExperimentSweeper {
  private static final Logger log = LoggerFactory.getLogger(LostExperimentSweeper.class);
  private static final int BATCH = 500;
  private final ExperimentRepository experiments;
  private final TemporalGateway temporal;

  LostExperimentSweeper(ExperimentRepository experiments, TemporalGateway temporal) {
    this.experiments = experiments;
    this.temporal = temporal;
  }

  @EventListener(ApplicationReadyEvent.class)
  void sweep() {
    int settled = 0;
    try {
      for (ExperimentRecord experiment : experiments.running(BATCH)) {
        Optional<WorkflowExecutionStatus> status = temporal.status(experiment.workflowId());
        if (status.isEmpty()) {
          experiments.end(experiment.id(), ExperimentRecord.LOST, "the experiment's workflow no longer exists on the"
              + " Temporal server (an in-memory test server was restarted); start the experiment again");
          settled++;
        } else if (status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED
            || status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT
            || status.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
          experiments.end(experiment.id(), ExperimentRecord.FAILED, "the experiment's workflow ended as "
              + status.get().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
          settled++;
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not check running experiments against Temporal: {}", e.getMessage());
      return;
    }
    if (settled > 0) log.warn("start-up sweep: {} experiments marked lost or failed", settled);
  }
}
