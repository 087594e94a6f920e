package io.durableflows.api.batches;

import io.durableflows.api.gateway.TemporalGateway;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, settles the batches PostgreSQL shows as queued or running against their workflows: one Temporal no
 * longer knows (the embedded test server keeps history in memory and went down with the last process) or that
 * closed without recording its end is marked {@code failed}, its unfinished items {@code failed} with error
 * {@code lost}; finished items keep their output. Running ones are left alone.
 */
@Component
class LostBatchSweeper {
  private static final Logger log = LoggerFactory.getLogger(LostBatchSweeper.class);
  private static final Set<WorkflowExecutionStatus> ALIVE = Set.of(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
  private final BatchService batches;
  private final TemporalGateway temporal;

  LostBatchSweeper(BatchService batches, TemporalGateway temporal) {
    this.batches = batches;
    this.temporal = temporal;
  }

  @EventListener(ApplicationReadyEvent.class)
  void sweep() {
    int lost = 0;
    try {
      for (BatchRecord batch : batches.active()) {
        Optional<WorkflowExecutionStatus> status = temporal.status(batch.workflowId());
        if (status.isPresent() && ALIVE.contains(status.get())) continue;
        batches.markLost(batch.id(), status.isEmpty()
            ? "lost: Temporal no longer knows the batch's workflow (an in-memory server restarted)"
            : "lost: the batch's workflow ended without recording it (" + status.get().name()
                .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase() + ")");
        lost++;
      }
    } catch (RuntimeException e) {
      log.warn("could not check running batches against Temporal: {}", e.getMessage());
      return;
    }
    if (lost > 0) log.warn("start-up sweep: {} batches marked failed (lost)", lost);
  }
}
