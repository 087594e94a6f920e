package io.durableflows.workflows.events;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process fast path of the streaming bridge. When the worker shares the API's JVM, the run workflow rings
 * its run's bell after appending events, so a reader in that JVM queries at once instead of at its next poll.
 * It carries no data: the workflow's log, read by query, stays the only source of events, so a missed ring only
 * costs latency. Workflow code rings outside replay only and the ring issues no command, so it cannot affect
 * determinism.
 */
public final class RunEventsDoorbell {
  private static final ConcurrentMap<String, Bell> BELLS = new ConcurrentHashMap<>();

  private RunEventsDoorbell() {}

  /** Wakes readers of this run in this JVM, if any. */
  public static void ring(String workflowId) {
    Bell bell = BELLS.get(workflowId);
    if (bell != null) bell.ring();
  }

  /** A reader's handle; close it when the reader stops. */
  public static Bell listen(String workflowId) {
    return BELLS.compute(workflowId, (id, existing) -> {
      Bell bell = existing == null ? new Bell(id) : existing;
      bell.listeners++;
      return bell;
    });
  }

  public static final class Bell implements AutoCloseable {
    private final String workflowId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private long rings;
    private int listeners;

    private Bell(String workflowId) {
      this.workflowId = workflowId;
    }

    void ring() {
      lock.lock();
      try {
        rings++;
        rung.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** How often it has rung; pass it to {@link #await} to wait for the next ring. */
    public long rings() {
      lock.lock();
      try {
        return rings;
      } finally {
        lock.unlock();
      }
    }

    /** Waits until it rings after {@code seen} or the time is up; true when it rang. */
    public boolean await(long seen, long timeoutMillis) throws InterruptedException {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      lock.lock();
      try {
        while (rings == seen && nanos > 0) nanos = rung.awaitNanos(nanos);
        return rings != seen;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      BELLS.computeIfPresent(workflowId, (id, bell) -> --bell.listeners <= 0 ? null : bell);
    }
  }
}
