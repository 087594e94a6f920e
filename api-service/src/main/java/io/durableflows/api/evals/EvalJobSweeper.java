package io.durableflows.api.evals;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, finishes what an API that died left of eval jobs: a pending job whose run completed is started, one
 * whose run still goes is waited for again, one whose run did not complete (or whose workflow ended on its own) is
 * marked failed. A job whose workflow is running is left alone.
 */
@Component
class EvalJobSweeper {
  private static final Logger log = LoggerFactory.getLogger(EvalJobSweeper.class);
  private static final int BATCH = 500;
  private final EvalJobRepository jobs;
  private final EvalJobs evalJobs;

  EvalJobSweeper(EvalJobRepository jobs, EvalJobs evalJobs) {
    this.jobs = jobs;
    this.evalJobs = evalJobs;
  }

  @EventListener(ApplicationReadyEvent.class)
  void sweep() {
    int settled = 0;
    try {
      for (EvalJobRepository.OpenJob job : jobs.open(BATCH)) {
        evalJobs.resume(job);
        settled++;
      }
    } catch (RuntimeException e) {
      log.warn("could not check open eval jobs against Temporal: {}", e.getMessage());
      return;
    }
    if (settled > 0) log.info("start-up sweep: {} open eval jobs checked", settled);
  }
}
