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
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
    Turn turn = new Turn(call.runId(), call.nodeId(), call.provider(), call.model(), call.stream(),
        call.idempotencyKey());
    return ask(turn, PLAIN, model -> request(call, model));
  }

  @Override
  public LlmChatReply chat(LlmChatCall call) {
    Turn turn = new Turn(call.runId(), call.nodeId(), call.provider(), call.model(), call.stream(),
        call.idempotencyKey());
    return ask(turn, CHAT, model -> ChatTurns.request(call, model));
  }

  /**
   * How a kind of call's result is built from the reply and the provider's response, where its reply is, and
   * how a journaled one is marked as recorded.
   */
  private record Shape<T>(Class<T> type, BiFunction<LlmReply, ChatResponse, T> answer, Function<T, LlmReply> reply,
      UnaryOperator<T> recorded) {}

  private static final Shape<LlmReply> PLAIN =
      new Shape<>(LlmReply.class, (reply, response) -> reply, r -> r, LlmActivitiesImpl::markRecorded);
  private static final Shape<LlmChatReply> CHAT = new Shape<>(LlmChatReply.class,
      (reply, response) -> new LlmChatReply(reply, ChatTurns.toolRequests(response)), LlmChatReply::reply,
      r -> new LlmChatReply(markRecorded(r.reply()), r.toolCalls()));

  /** What both kinds of call share: who asks, which model, whether to stream, and the journal key. */
  private record Turn(String runId, String nodeId, String provider, String model, boolean stream, String key) {}

  /**
   * Asks the model (or, on a retry, the call journal first) and journals the answer.
   */
  private <T> T ask(Turn turn, Shape<T> shape, Function<String, ChatRequest> requestFor) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String activityId = context.getInfo().getActivityId();
    int attempt = context.getInfo().getAttempt();
    // Only a retry can find an earlier attempt's answer: the first attempt skips the lookup.
    if (attempt > 1) {
      Optional<T> earlier = recorded(turn, shape.type()).map(shape.recorded());
      if (earlier.isPresent()) return earlier.get();
    }
    ModelProviders.Resolved resolved = providers.resolve(turn.provider(), turn.model());
    String provider = resolved.provider().name();
    long started = System.nanoTime();
    ChatRequest request = requestFor.apply(resolved.model());
    String threadName = "llm " + turn.runId() + "/" + turn.nodeId();
    ModelCall modelCall = turn.stream()
        ? ModelCall.streaming(resolved.streamingModel(), request, threadName)
        : ModelCall.blocking(resolved.chatModel(), request, threadName);
    ChatResponse response;
    try {
      response = new Relay(turn, context, modelCall).await();
    } catch (InterruptedException e) {
      modelCall.cancel();
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while waiting for the model", "Interrupted");
    } catch (RuntimeException e) {
      modelCall.cancel();
      if (e instanceof ApplicationFailure || e instanceof io.temporal.client.ActivityCompletionException) throw e;
      ApplicationFailure failure = ProviderErrors.toFailure(provider, resolved.model(), e, resolved.provider().apiKey());
      log.warn("run {} node {}: {} ({})", turn.runId(), turn.nodeId(), failure.getOriginalMessage(), failure.getType());
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
    return journaled(turn, shape, shape.answer().apply(reply, response));
  }

  private <T> Optional<T> recorded(Turn turn, Class<T> type) {
    try {
      return journal.find(turn.key()).map(json -> read(json, type));
    } catch (RuntimeException e) {
      log.warn("run {} node {}: call journal not readable, asking the model ({})", turn.runId(), turn.nodeId(),
          e.toString());
      return Optional.empty();
    }
  }

  /** The answer that stands: this one, or an earlier attempt's that reached the journal first. */
  private <T> T journaled(Turn turn, Shape<T> shape, T result) {
    if (turn.key() == null) return result;
    LlmReply reply = shape.reply().apply(result);
    try {
      String stands = journal.record(new CallJournal.Entry(turn.key(), turn.runId(), turn.nodeId(), "llm",
          reply.provider() + "/" + reply.model(), reply.activityId(), reply.attempt(), null,
          JSON.writeValueAsString(result)));
      T standing = read(stands, shape.type());
      return shape.reply().apply(standing).attempt() == reply.attempt() ? result : shape.recorded().apply(standing);
    } catch (JsonProcessingException | RuntimeException e) {
      // The answer is good; only a later retry loses the shortcut.
      log.warn("run {} node {}: could not journal the answer ({})", turn.runId(), turn.nodeId(), e.toString());
      return result;
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the call journal holds an unreadable answer", e);
    }
  }

  /** A journaled answer keeps the activity id and attempt that asked the model, marked as recorded. */
  private static LlmReply markRecorded(LlmReply r) {
    return new LlmReply(r.text(), r.provider(), r.model(), r.finishReason(), r.usage(), r.costUsd(), r.durationMs(),
        r.activityId(), r.attempt(), true);
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
    private final Turn call;
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

    Relay(Turn call, ActivityExecutionContext context, ModelCall modelCall) {
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
