package io.durableflows.api.streams;

import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunRepository;
import io.durableflows.workflows.events.EventPage;
import io.durableflows.workflows.events.RunEvent;
import io.durableflows.workflows.events.RunEventsDoorbell;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Reads run event logs for streaming clients. A running run is tailed by one poller per API instance however many
 * clients watch it. With the worker in this JVM the workflow hands it each event as it appends it (the doorbell);
 * otherwise, or when that leaves a gap, it queries the run workflow for events after the last one it has, every
 * poll interval. A
 * finished run is read from PostgreSQL. Either way the sequence numbers are the workflow's, so a client resumes
 * anywhere with {@code afterSeq} and gets each event once.
 */
@Service
public class RunEventFeed {
  private static final Logger log = LoggerFactory.getLogger(RunEventFeed.class);
  private final TemporalGateway temporal;
  private final RunRepository runs;
  private final RunEventRepository stored;
  private final long pollMillis;
  /** A run waiting for a person changes when the person answers: hours, not milliseconds. */
  private final long waitingPollMillis;
  private final Map<String, Tail> tails = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public RunEventFeed(TemporalGateway temporal, RunRepository runs, RunEventRepository stored,
      @Value("${df.streams.poll-interval:}") Duration pollInterval,
      @Value("${df.workers.embedded:false}") boolean embeddedWorkers) {
    this.temporal = temporal;
    this.runs = runs;
    this.stored = stored;
    // With the workers in this JVM the doorbell wakes the poller and polling is a safety net. A worker elsewhere
    // cannot ring it: a long poll of the run's history would, but the Java test server's is broken for it
    // (IndexOutOfBounds on every new event in 1.38.0), so we poll.
    this.pollMillis = pollInterval != null ? pollInterval.toMillis() : embeddedWorkers ? 250 : 25;
    this.waitingPollMillis = Math.max(pollMillis, 1000);
  }

  /** A reader of one run's events, starting after {@code afterSeq}. Close it when the client goes. */
  public Subscription subscribe(RunRecord run, long afterSeq) {
    return subscribe(new Tail(run.id(), run.orgId(), run.workflowId(), !run.active(), false), afterSeq);
  }

  /**
   * A reader of a run about to be started: it listens before the workflow exists, so with the workers in this
   * JVM it receives every event from the first one and never needs to query.
   */
  public Subscription subscribeBeforeStart(String runId, String orgId, String workflowId) {
    return subscribe(new Tail(runId, orgId, workflowId, false, true), 0);
  }

  private Subscription subscribe(Tail fresh, long afterSeq) {
    Tail tail = tails.compute(fresh.runId, (id, existing) -> {
      Tail t = existing == null || existing.stopped ? fresh : existing;
      t.readers.incrementAndGet();
      return t;
    });
    tail.startIfNeeded();
    return new Subscription(tail, afterSeq);
  }

  @PreDestroy
  void close() {
    closed = true;
    tails.values().forEach(Tail::wake);
  }

  public final class Subscription implements AutoCloseable {
    private final Tail tail;
    private long lastSeq;

    private Subscription(Tail tail, long afterSeq) {
      this.tail = tail;
      this.lastSeq = Math.max(0, afterSeq);
    }

    /**
     * The next events, waiting up to {@code maxWait} for at least one; empty when none came (send a heartbeat
     * and ask again) or after the last one.
     */
    public List<RunEvent> next(Duration maxWait) throws InterruptedException {
      List<RunEvent> events = tail.after(lastSeq, maxWait);
      if (!events.isEmpty()) lastSeq = events.getLast().seq();
      return events;
    }

    /** True once the terminal event has been returned by {@link #next}. */
    public boolean finished() {
      return tail.finishedAt(lastSeq);
    }

    /** True when no more events will come before the end (the API is shutting down). */
    public boolean stopped() {
      return tail.stopped && !finished() && tail.lastSeq() <= lastSeq;
    }

    public String runId() {
      return tail.runId;
    }

    public String workflowId() {
      return tail.workflowId;
    }

    @Override
    public void close() {
      tails.computeIfPresent(tail.runId, (id, t) -> {
        if (t != tail) return t;
        return t.readers.decrementAndGet() <= 0 ? null : t;
      });
      tail.wake();
    }
  }

  /** The shared, growing copy of one run's log, fed by the doorbell and by one polling virtual thread. */
  private final class Tail {
    private final String runId;
    private final String orgId;
    private final String workflowId;
    private final boolean endedBefore;
    private final boolean beforeStart;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<RunEvent> events = new ArrayList<>();
    private final AtomicInteger readers = new AtomicInteger();
    private boolean started;
    /** Requests to people the run has made and not yet seen resolved, by the events read so far. */
    private int waitingOn;
    private volatile boolean stopped;
    private volatile long terminalSeq = -1;

    Tail(String runId, String orgId, String workflowId, boolean endedBefore, boolean beforeStart) {
      this.runId = runId;
      this.orgId = orgId;
      this.workflowId = workflowId;
      this.endedBefore = endedBefore;
      this.beforeStart = beforeStart;
    }

    void startIfNeeded() {
      lock.lock();
      try {
        if (started) return;
        started = true;
      } finally {
        lock.unlock();
      }
      // Listening before the poller runs: a run started right after subscribing must not get ahead of it.
      RunEventsDoorbell.Listener bell = RunEventsDoorbell.listen(workflowId, e -> append(List.of(e)));
      Thread.ofVirtual().name("run-events " + runId).start(() -> poll(bell));
    }

    private void poll(RunEventsDoorbell.Listener bell) {
      try (bell) {
        long backoff = pollMillis;
        // Nothing to read yet from a run that is only now starting.
        boolean query = !beforeStart;
        while (terminalSeq < 0 && !closed && !stopped && readersLeft()) {
          long rings = bell.rings();
          long known = lastSeq();
          if (query) {
            try {
              fetch();
              backoff = pollMillis;
            } catch (RunUnreachableException e) {
              // Temporal is away (restarting?): keep the readers attached and try again, more slowly.
              log.debug("run {}: {}", runId, e.getMessage());
              backoff = Math.min(backoff * 2, 2000);
            }
            // More may be waiting: ask again at once.
            if (lastSeq() > known) continue;
          }
          long seen = lastSeq();
          boolean delivered = bell.await(rings, waitingForPerson() ? Math.max(backoff, waitingPollMillis) : backoff);
          // The workflow in this JVM hands over what it appends; query when that left a gap or nothing came.
          query = !delivered || lastSeq() == seen;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped = true;
        wake();
      }
    }

    private boolean waitingForPerson() {
      lock.lock();
      try {
        return waitingOn > 0;
      } finally {
        lock.unlock();
      }
    }

    private boolean readersLeft() {
      return readers.get() > 0;
    }

    /** One read from the workflow, or from PostgreSQL once the workflow is gone. */
    private void fetch() {
      long last = lastSeq();
      if (endedBefore) {
        List<RunEvent> saved = stored.after(runId, last);
        if (!saved.isEmpty()) {
          append(saved);
          return;
        }
      }
      Optional<EventPage> page = temporal.events(workflowId, last);
      if (page.isPresent()) {
        append(page.get().events());
        return;
      }
      // A run listened to before its start may not exist yet; only an existing one can be gone.
      if (beforeStart && last == 0) return;
      // The workflow is gone: its outcome, log included, is in PostgreSQL unless the run was lost.
      List<RunEvent> saved = stored.after(runId, last);
      append(saved.isEmpty() ? endingFromRecord(runs.find(orgId, runId).orElse(null), last) : saved);
    }

    /** Takes the events that continue the copy (a gap or a repeat is left for the next read). */
    private void append(List<RunEvent> fresh) {
      if (fresh.isEmpty()) return;
      lock.lock();
      try {
        for (RunEvent e : fresh) {
          if (e.seq() != events.size() + 1L) continue;
          events.add(e);
          if (e.terminal()) terminalSeq = e.seq();
          switch (e.type()) {
            case RunEvent.APPROVAL_REQUIRED, RunEvent.QUESTION -> waitingOn++;
            case RunEvent.APPROVAL_RESOLVED, RunEvent.QUESTION_ANSWERED -> waitingOn = Math.max(0, waitingOn - 1);
            default -> {}
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    private long lastSeq() {
      lock.lock();
      try {
        return events.size();
      } finally {
        lock.unlock();
      }
    }

    List<RunEvent> after(long seq, Duration maxWait) throws InterruptedException {
      long nanos = maxWait.toNanos();
      lock.lock();
      try {
        while (events.size() <= seq && terminalSeq < 0 && !stopped && !closed && nanos > 0) {
          nanos = changed.awaitNanos(nanos);
        }
        if (events.size() > seq) return List.copyOf(events.subList((int) seq, events.size()));
        return List.of();
      } finally {
        lock.unlock();
      }
    }

    boolean finishedAt(long seq) {
      lock.lock();
      try {
        return terminalSeq >= 0 && seq >= terminalSeq;
      } finally {
        lock.unlock();
      }
    }

    void wake() {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * What a reader gets for a run whose workflow is gone and whose log was not saved: a run recorded before logs
   * were saved, or one lost with an in-memory Temporal server.
   */
  private static List<RunEvent> endingFromRecord(RunRecord run, long last) {
    List<RunEvent> ending = new ArrayList<>();
    boolean lost = run == null || run.active() || RunRecord.LOST.equals(run.status());
    if (lost || run.errorType() != null) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("error", lost ? "run_lost" : run.errorType());
      error.put("message", lost ? "the run's workflow is gone and it recorded no outcome" : run.errorMessage());
      ending.add(new RunEvent(last + 1, RunEvent.ERROR, null, error));
    }
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("status", lost ? RunRecord.LOST : run.status());
    if (!lost && run.output() != null) done.put("output", run.output());
    if (!lost && run.outputText() != null) done.put("text", run.outputText());
    ending.add(new RunEvent(last + ending.size() + 1, RunEvent.DONE, null, done));
    return ending;
  }
}
