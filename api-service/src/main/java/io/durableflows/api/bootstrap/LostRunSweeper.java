package io.durableflows.api.bootstrap;

import io.durableflows.api.runs.RunReconciler;
import io.durableflows.api.runs.RunReconciler.Settled;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, settles the runs PostgreSQL shows as running or waiting against their workflows (see
 * {@link RunReconciler}): lost and silently ended ones are marked so; running ones are left alone.
 */
@Component
class LostRunSweeper {
  private static final Logger log = LoggerFactory.getLogger(LostRunSweeper.class);
  private static final int BATCH = 500;
  private final RunRepository runs;
  private final RunReconciler reconciler;

  LostRunSweeper(RunRepository runs, RunReconciler reconciler) {
    this.runs = runs;
    this.reconciler = reconciler;
  }

  @EventListener(ApplicationReadyEvent.class)
  void sweep() {
    int lost = 0;
    int ended = 0;
    try {
      for (RunRecord run : runs.active(BATCH)) {
        Settled settled = reconciler.settle(run);
        if (settled == Settled.LOST) lost++;
        if (settled == Settled.FAILED) ended++;
      }
    } catch (RuntimeException e) {
      log.warn("could not check running runs against Temporal: {}", e.getMessage());
      return;
    }
    if (lost + ended > 0) log.warn("start-up sweep: {} runs marked lost, {} marked failed", lost, ended);
  }
}
