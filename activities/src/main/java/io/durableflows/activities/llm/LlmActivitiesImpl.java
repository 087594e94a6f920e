package io.durableflows.activities.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the model from a thread of its own while the activity thread batches deltas into signals to the run
 * workflow, heartbeats, and stops the call when the run is cancelled. Each answer is journaled under the call's
 * idempotency key as soon as it arrives: a retry after a worker died between the answer and reporting it
 * returns the journaled answer instead of asking (and paying) the model again.
 */
public class LlmActivitiesImpl implements LlmActivities {
  private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);
  /** The run closed while its model call was still streaming (cancelled, terminated). */
  static final String RUN_GONE = "RunGone";
  private final ModelProviders providers;
  private final DeltaSink sink;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StreamSettings settings;
  private final CallJournal journal;

  public LlmActivitiesImpl(ModelProviders providers, DeltaSink sink, StreamSettings settings, CallJournal journal) {
    this.providers = providers;
    this.sink = sink;
    this.settings = settings;
    this.journal = journal;
  }

  @Override
  public LlmReply complete(LlmCall call) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String activityId = context.getInfo().getActivityId();
    int attempt = context.getInfo().getAttempt();
    // Only a retry can find an earlier attempt's answer: the first attempt skips the lookup.
    if (attempt > 1) {
      Optional<LlmReply> earlier = recorded(call);
      if (earlier.isPresent()) return earlier.get();
    }
    ModelProviders.Resolved resolved = providers.resolve(call.provider(), call.model());
    String provider = resolved.provider().name();
    long started = System.nanoTime();
    ChatRequest request = request(call, resolved.model());
    String threadName = "llm " + call.runId() + "/" + call.nodeId();
    ModelCall modelCall = call.stream()
        ? ModelCall.streaming(resolved.streamingModel(), request, threadName)
        : ModelCall.blocking(resolved.chatModel(), request, threadName);
    ChatResponse response;
    try {
      response = new Relay(call, context, modelCall).await();
    } catch (InterruptedException e) {
      modelCall.cancel();
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while waiting for the model", "Interrupted");
    } catch (RuntimeException e) {
      modelCall.cancel();
      if (e instanceof ApplicationFailure || e instanceof io.temporal.client.ActivityCompletionException) throw e;
      ApplicationFailure failure = ProviderErrors.toFailure(provider, resolved.model(), e, resolved.provider().apiKey());
      log.warn("run {} node {}: {} ({})", call.runId(), call.nodeId(), failure.getOriginalMessage(), failure.getType());
      throw failure;
    }
    long durationMs = (System.nanoTime() - started) / 1_000_000;
    TokenUsage tokens = response.tokenUsage();
    Usage usage = tokens == null ? Usage.ZERO : new Usage(
        tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount(),
        tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount());
    String model = response.modelName() == null ? resolved.model() : response.modelName();
    double cost = ModelCatalog.cost(resolved.provider().kind(), resolved.model(), usage.promptTokens(), usage.completionTokens());
    String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    String finish = response.finishReason() == null ? "stop" : response.finishReason().name().toLowerCase();
    LlmReply reply = new LlmReply(text, provider, model, finish, usage, cost, durationMs, activityId, attempt, false);
    return journaled(call, reply);
  }

  private Optional<LlmReply> recorded(LlmCall call) {
    try {
      return journal.find(call.idempotencyKey()).map(LlmActivitiesImpl::read);
    } catch (RuntimeException e) {
      log.warn("run {} node {}: call journal not readable, asking the model ({})", call.runId(), call.nodeId(),
          e.toString());
      return Optional.empty();
    }
  }

  /** The answer that stands: this one, or an earlier attempt's that reached the journal first. */
  private LlmReply journaled(LlmCall call, LlmReply reply) {
    if (call.idempotencyKey() == null) return reply;
    try {
      String stands = journal.record(new CallJournal.Entry(call.idempotencyKey(), call.runId(), call.nodeId(), "llm",
          reply.provider() + "/" + reply.model(), reply.activityId(), reply.attempt(), null,
          JSON.writeValueAsString(reply)));
      LlmReply standing = read(stands);
      return standing.attempt() == reply.attempt() ? reply : standing;
    } catch (JsonProcessingException | RuntimeException e) {
      // The answer is good; only a later retry loses the shortcut.
      log.warn("run {} node {}: could not journal the answer ({})", call.runId(), call.nodeId(), e.toString());
      return reply;
    }
  }

  /** A journaled answer: it keeps the activity id and attempt that asked the model, marked as recorded. */
  private static LlmReply read(String json) {
    try {
      LlmReply r = JSON.readValue(json, LlmReply.class);
      return new LlmReply(r.text(), r.provider(), r.model(), r.finishReason(), r.usage(), r.costUsd(), r.durationMs(),
          r.activityId(), r.attempt(), true);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the call journal holds an unreadable answer", e);
    }
  }

  private static ChatRequest request(LlmCall call, String model) {
    List<ChatMessage> messages = new ArrayList<>();
    if (call.systemPrompt() != null && !call.systemPrompt().isBlank()) {
      messages.add(SystemMessage.from(call.systemPrompt()));
    }
    // Earlier turns (a memory node's history) sit between the system prompt and this turn's prompt.
    messages.addAll(ChatMessages.toLangchain(call.history()));
    messages.add(UserMessage.from(call.prompt() == null || call.prompt().isEmpty() ? " " : call.prompt()));
    return ChatRequest.builder()
        .messages(messages)
        .modelName(model)
        .temperature(call.temperature())
        .maxOutputTokens(call.maxTokens())
        .build();
  }

  /** The activity thread's loop over one model call: batching, signalling, heartbeating. */
  private final class Relay {
    private final LlmCall call;
    private final ActivityExecutionContext context;
    private final ModelCall modelCall;
    private final String workflowId;
    private final int attempt;
    private final StringBuilder pending = new StringBuilder();
    private final long flushNanos = settings.flushInterval().toNanos();
    private final long heartbeatNanos = settings.heartbeatInterval().toNanos();
    private int batches;
    private long lastFlush;
    private long lastHeartbeat = System.nanoTime();

    Relay(LlmCall call, ActivityExecutionContext context, ModelCall modelCall) {
      this.call = call;
      this.context = context;
      this.modelCall = modelCall;
      this.workflowId = context.getInfo().getWorkflowId();
      this.attempt = context.getInfo().getAttempt();
    }

    ChatResponse await() throws InterruptedException {
      while (true) {
        long now = System.nanoTime();
        long waitNanos = heartbeatNanos - (now - lastHeartbeat);
        if (pending.length() > 0) waitNanos = Math.min(waitNanos, flushNanos - (now - lastFlush));
        ModelCall.Item item = modelCall.next(waitNanos / 1_000_000);
        switch (item) {
          case ModelCall.Delta delta -> {
            pending.append(delta.text());
            // The first delta goes out at once: time to first token is what users feel most.
            if (batches == 0) flush();
          }
          case ModelCall.Completed completed -> {
            flush();
            return completed.response();
          }
          case ModelCall.Failed failed -> throw failed.error() instanceof RuntimeException r ? r
              : new RuntimeException(failed.error());
          case null -> {}
        }
        now = System.nanoTime();
        if (pending.length() > 0 && now - lastFlush >= flushNanos) flush();
        if (now - lastHeartbeat >= heartbeatNanos) heartbeat();
      }
    }

    private void flush() {
      if (pending.length() == 0) return;
      DeltaBatch batch = new DeltaBatch(call.nodeId(), attempt, batches + 1, pending.toString());
      try {
        sink.send(workflowId, batch);
        batches++;
        pending.setLength(0);
      } catch (WorkflowNotFoundException e) {
        // The run is over (cancelled or terminated): stop paying for tokens nobody will read.
        throw ApplicationFailure.newNonRetryableFailure("the run " + workflowId + " is no longer running", RUN_GONE);
      } catch (RuntimeException e) {
        // Kept and sent with the next batch; the node's final text reaches the log with the activity's result.
        log.warn("run {} node {}: could not signal deltas ({})", call.runId(), call.nodeId(), e.toString());
      }
      lastFlush = System.nanoTime();
      heartbeat();
    }

    /** Throws ActivityCompletionException when the run was cancelled: that is how cancellation reaches us. */
    private void heartbeat() {
      context.heartbeat(batches);
      lastHeartbeat = System.nanoTime();
    }
  }
}
