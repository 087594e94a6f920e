package io.durableflows.api.streams;

import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.auth.Caller;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.PreparedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.runs.RunService.StartedRun;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.workflows.events.RunEvent;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Turns a run's event log into a streaming HTTP response in any {@link EventFormat}: headers that stop proxies from
 * buffering, a heartbeat while nothing happens, and a client that goes away leaves the run running unless it
 * asked for {@code on_disconnect: "cancel"}.
 */
@Component
public class EventStreams {
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  /** Events after which a running run may have paused for a person. */
  private static final Set<String> PAUSES = Set.of(RunEvent.APPROVAL_REQUIRED, RunEvent.QUESTION);
  private final RunEventFeed feed;
  private final TemporalGateway temporal;
  private final RunService runs;
  private final Duration heartbeat;

  public EventStreams(RunEventFeed feed, TemporalGateway temporal, RunService runs,
      @Value("${df.streams.heartbeat-interval:15s}") Duration heartbeat) {
    this.feed = feed;
    this.temporal = temporal;
    this.runs = runs;
    this.heartbeat = heartbeat;
  }

  /** What a client asked to happen to the run when it disconnects. */
  public enum OnDisconnect {
    CONTINUE, CANCEL;

    /** Parses the {@code on_disconnect} option; null means continue. */
    public static OnDisconnect parse(Object value, String field) {
      if (value == null || "continue".equals(value)) return CONTINUE;
      if ("cancel".equals(value)) return CANCEL;
      throw io.durableflows.api.errors.ApiException.badRequest("invalid_request",
          field + " must be \"continue\" or \"cancel\"");
    }
  }

  /** Headers every stream carries; callers add their own (run id, balances) to them. */
  public static HttpHeaders headers() {
    HttpHeaders headers = new HttpHeaders();
    headers.setCacheControl("no-cache");
    headers.set("X-Accel-Buffering", "no");
    return headers;
  }

  /** Streams the events of a run that exists, after {@code afterSeq}, until its {@code done} event. */
  public void stream(HttpServletResponse response, RunRecord run, long afterSeq, EventFormat format,
      HttpHeaders headers, OnDisconnect onDisconnect) {
    stream(response, feed.subscribe(run, afterSeq), format, headers, onDisconnect);
  }

  /**
   * Follows a running run until it ends or pauses for a person, or {@code limit} passes; returns its record as it
   * then is. The run row is settled before the log shows {@code done} or a request, so it is read on those.
   */
  public RunRecord awaitSettled(RunRecord run, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    try (RunEventFeed.Subscription subscription = feed.subscribe(run, 0)) {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return runs.record(run.orgId(), run.id());
        List<RunEvent> events = subscription.next(Duration.ofNanos(left));
        boolean telling = subscription.finished() || events.stream().anyMatch(e -> PAUSES.contains(e.type()));
        if (telling || subscription.stopped()) {
          RunRecord now = runs.record(run.orgId(), run.id());
          if (!RunRecord.RUNNING.equals(now.status()) || subscription.stopped()) return now;
        }
      }
    }
  }

  /** Starts a run with model deltas on and its stream already listening (see {@link #listenAndLaunch}). */
  public RunEventFeed.Subscription startStreamed(Caller caller, ResolvedFlow flow, RunCommand command,
      Idempotency idempotency) {
    PreparedRun prepared = runs.prepare(caller, flow, command.streamed());
    return listenAndLaunch(caller.orgId(), prepared, () -> runs.launch(caller, prepared, idempotency));
  }

  /**
   * Starts a prepared run with its reader already listening ({@code launch} starts it), so the stream misses
   * nothing and, with the workers in this JVM, never queries. The reader is dropped if the start fails. When the
   * launch found the run an earlier request with the same Idempotency-Key started, the stream follows that run
   * from its first event.
   */
  public RunEventFeed.Subscription listenAndLaunch(String orgId, PreparedRun run, Supplier<StartedRun> launch) {
    RunEventFeed.Subscription subscription = feed.subscribeBeforeStart(run.runId(), orgId, run.workflowId());
    try {
      StartedRun started = launch.get();
      if (!started.replayed()) return subscription;
      subscription.close();
      return feed.subscribe(runs.record(orgId, started.runId()), 0);
    } catch (RuntimeException e) {
      subscription.close();
      throw e;
    }
  }

  /**
   * Streams a subscription's events into the response until the run's {@code done} event. Runs on the request's
   * own (virtual) thread, so a thousand open streams cost a thousand parked virtual threads.
   */
  public void stream(HttpServletResponse response, RunEventFeed.Subscription subscription, EventFormat format,
      HttpHeaders headers, OnDisconnect onDisconnect) {
    response.setStatus(200);
    headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentType(format.contentType().toString());
    response.setHeader("X-Run-Id", subscription.runId());
    try (subscription) {
      Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
      pump(subscription, format, writer);
    } catch (IOException e) {
      // The client went away; the run goes on unless it asked otherwise.
      if (onDisconnect == OnDisconnect.CANCEL) {
        log.info("run {}: client disconnected, cancelling as asked", subscription.runId());
        try {
          temporal.cancel(subscription.workflowId());
        } catch (RuntimeException cancelFailed) {
          log.warn("run {}: could not cancel after the client left ({})", subscription.runId(),
              cancelFailed.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pump(RunEventFeed.Subscription subscription, EventFormat format, Writer writer)
      throws IOException, InterruptedException {
    // Headers go out at once: clients see the stream open (and 003's balance headers) before the first token.
    writer.flush();
    while (true) {
      List<RunEvent> events = subscription.next(heartbeat);
      if (events.isEmpty() && !subscription.finished()) {
        if (subscription.stopped()) {
          format.interrupted(writer);
          writer.flush();
          return;
        }
        format.heartbeat(writer);
      }
      for (RunEvent event : events) format.event(event, writer);
      writer.flush();
      if (subscription.finished()) return;
    }
  }
}
