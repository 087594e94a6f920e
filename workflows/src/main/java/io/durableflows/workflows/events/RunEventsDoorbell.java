package io.durableflows.workflows.events;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The in-process fast path of the streaming bridge. When the worker shares the API's JVM, the run workflow hands
 * each event it appends to its log to the readers of that run in this JVM and wakes them, so they need no query.
 * The events are the log's own, sequence numbers included, and a reader takes one only when it follows the last
 * it has: the log, read by query, stays the single truth, and whatever is missed here is read from it. Workflow
 * code publishes outside replay only and issues no command doing so, so it cannot affect determinism.
 */
public final class RunEventsDoorbell {
  private static final ConcurrentMap<String, List<Listener>> LISTENERS = new ConcurrentHashMap<>();

  private RunEventsDoorbell() {}

  /** Hands an appended event to this run's readers in this JVM, if any, and wakes them. */
  public static void publish(String workflowId, RunEvent event) {
    List<Listener> listeners = LISTENERS.get(workflowId);
    if (listeners == null) return;
    for (Listener listener : listeners) listener.deliver(event);
  }

  /** Starts listening; {@code onEvent} must not block. Close the listener when the reader stops. */
  public static Listener listen(String workflowId, Consumer<RunEvent> onEvent) {
    Listener listener = new Listener(workflowId, onEvent);
    LISTENERS.computeIfAbsent(workflowId, id -> new CopyOnWriteArrayList<>()).add(listener);
    return listener;
  }

  public static final class Listener implements AutoCloseable {
    private final String workflowId;
    private final Consumer<RunEvent> onEvent;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private long rings;

    private Listener(String workflowId, Consumer<RunEvent> onEvent) {
      this.workflowId = workflowId;
      this.onEvent = onEvent;
    }

    private void deliver(RunEvent event) {
      onEvent.accept(event);
      lock.lock();
      try {
        rings++;
        rung.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** How many events have been delivered; pass it to {@link #await} to wait for the next. */
    public long rings() {
      lock.lock();
      try {
        return rings;
      } finally {
        lock.unlock();
      }
    }

    /** Waits until an event is delivered after {@code seen} or the time is up; true when one was. */
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
      LISTENERS.computeIfPresent(workflowId, (id, listeners) -> {
        listeners.remove(this);
        return listeners.isEmpty() ? null : listeners;
      });
    }
  }
}
