package io.durableflows.activities.completions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.activities.llm.ModelChats;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionOptions;
import io.durableflows.workflows.completions.CompletionPrompts;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one item of a completion operation: checks the item, asks the model once, and reads its answer into the
 * operation's output. Provider failures are thrown as the typed failures of {@code ModelChats} (unavailable:
 * retried; rejected: not), so whoever hosts this as an activity gets Temporal's retries. What retrying cannot
 * change (an item of the wrong shape, an answer that is not a category or does not match the schema) is the
 * result's error, with the usage the answer cost.
 *
 * <p>A paid provider's result is journaled under the call's key as soon as it is known, and a call whose key is
 * already journaled returns that result: a retry after a worker died between the answer and reporting it does not
 * pay the provider twice. The offline model is free and deterministic, so its items skip the journal (and its
 * round trips, which would cost batches of thousands of items most of their time).
 */
public final class CompletionRunner {
  private static final Logger log = LoggerFactory.getLogger(CompletionRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ModelProviders providers;
  private final ModelChats models;
  private final CallJournal journal;

  /** Without a journal (tests, tools with no database). */
  public CompletionRunner(ModelProviders providers) {
    this(providers, CallJournal.NONE);
  }

  public CompletionRunner(ModelProviders providers, CallJournal journal) {
    this.providers = providers;
    this.models = new ModelChats(providers);
    this.journal = journal;
  }

  public CompletionResult run(CompletionCall call) {
    long started = System.nanoTime();
    Map<String, Object> options = call.options() == null ? Map.of() : call.options();
    List<FieldError> wrong = CompletionOptions.problems(call.operation(), options);
    if (!wrong.isEmpty()) {
      return failed(CompletionFailures.INVALID_OPTIONS, wrong.stream().map(e -> e.field() + " " + e.message())
          .collect(Collectors.joining("; ")), Usage.ZERO, 0, started);
    }
    List<ChatMessage> messages;
    try {
      messages = messages(call.operation(), options, call.item());
    } catch (CompletionItems.Problem e) {
      return failed(CompletionFailures.INVALID_ITEM, e.getMessage(), Usage.ZERO, 0, started);
    }
    ModelProviders.Resolved resolved = providers.resolve(call.provider(), call.model());
    boolean journaled = call.key() != null && !resolved.provider().kind().equals("offline");
    if (journaled) {
      Optional<CompletionResult> earlier = recorded(call.key());
      if (earlier.isPresent()) return earlier.get();
    }
    // Only free-text operations take max_tokens: a structured answer cut short would not parse.
    boolean freeText = call.operation().equals(CompletionOperations.CHAT)
        || call.operation().equals(CompletionOperations.RUN);
    ModelChats.Answer answer = models.chat(call.provider(), call.model(), messages,
        freeText ? CompletionOptions.maxTokens(options) : null, CompletionOptions.temperature(options));
    CompletionResult result;
    try {
      Object output = CompletionAnswers.read(call.operation(), options, call.item(), answer.text());
      result = new CompletionResult(output, null, null, answer.usage(), answer.costUsd(), millisSince(started));
    } catch (CompletionAnswers.Unfit e) {
      result = failed(e.code(), e.getMessage(), answer.usage(), answer.costUsd(), started);
    }
    return journaled ? journal(call, answer, result) : result;
  }

  private Optional<CompletionResult> recorded(String key) {
    try {
      return journal.find(key).map(CompletionRunner::read);
    } catch (RuntimeException e) {
      log.warn("completion {}: call journal not readable, asking the model ({})", key, e.toString());
      return Optional.empty();
    }
  }

  /** The result that stands: this one, or an earlier attempt's that reached the journal first. */
  private CompletionResult journal(CompletionCall call, ModelChats.Answer answer, CompletionResult result) {
    int slash = call.key().lastIndexOf('/');
    try {
      String stands = journal.record(new CallJournal.Entry(call.key(),
          slash > 0 ? call.key().substring(0, slash) : call.key(), call.operation(), "completion",
          answer.provider() + "/" + answer.model(), null, 1, null, JSON.writeValueAsString(result)));
      return read(stands);
    } catch (JsonProcessingException | RuntimeException e) {
      // The result is good; only a later retry loses the shortcut.
      log.warn("completion {}: could not journal the result ({})", call.key(), e.toString());
      return result;
    }
  }

  private static CompletionResult read(String json) {
    try {
      return JSON.readValue(json, CompletionResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the call journal holds an unreadable completion result", e);
    }
  }

  private static List<ChatMessage> messages(String operation, Map<String, Object> options, Object item) {
    List<ChatMessage> messages = new ArrayList<>();
    switch (operation) {
      case CompletionOperations.CHAT -> {
        String system = CompletionOptions.string(options, CompletionOptions.SYSTEM);
        if (system != null) messages.add(ChatMessage.system(system));
        messages.addAll(CompletionItems.conversation(item));
      }
      case CompletionOperations.RUN -> {
        String system = CompletionOptions.string(options, CompletionOptions.SYSTEM);
        if (system != null) messages.add(ChatMessage.system(system));
        messages.add(ChatMessage.user(
            CompletionItems.render(CompletionOptions.string(options, CompletionOptions.PROMPT), item)));
      }
      case CompletionOperations.AUTOCOMPLETE -> {
        messages.add(ChatMessage.system(CompletionPrompts.instruction(operation, options)));
        messages.add(ChatMessage.user(CompletionItems.prefix(item)));
      }
      case CompletionOperations.ENRICH -> {
        messages.add(ChatMessage.system(CompletionPrompts.instruction(operation, options)));
        messages.add(ChatMessage.user(CompletionItems.text(CompletionItems.record(item))));
      }
      default -> {
        messages.add(ChatMessage.system(CompletionPrompts.instruction(operation, options)));
        messages.add(ChatMessage.user(CompletionItems.text(item)));
      }
    }
    return messages;
  }

  private static CompletionResult failed(String code, String message, Usage usage, double cost, long started) {
    return new CompletionResult(null, code, message, usage, cost, millisSince(started));
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
