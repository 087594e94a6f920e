package io.durableflows.activities.completions;

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
import java.util.stream.Collectors;

/**
 * Runs one item of a completion operation: checks the item, asks the model once, and reads its answer into the
 * operation's output. Provider failures are thrown as the typed failures of {@code ModelChats} (unavailable:
 * retried; rejected: not), so whoever hosts this as an activity gets Temporal's retries. What retrying cannot
 * change (an item of the wrong shape, an answer that is not a category or does not match the schema) is the
 * result's error, with the usage the answer cost.
 */
public final class CompletionRunner {
  private final ModelChats models;

  public CompletionRunner(ModelProviders providers) {
    this.models = new ModelChats(providers);
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
    boolean free = call.operation().equals(CompletionOperations.CHAT) || call.operation().equals(CompletionOperations.RUN);
    ModelChats.Answer answer = models.chat(call.provider(), call.model(), messages,
        free ? CompletionOptions.maxTokens(options) : null, CompletionOptions.temperature(options));
    try {
      Object output = CompletionAnswers.read(call.operation(), options, call.item(), answer.text());
      return new CompletionResult(output, null, null, answer.usage(), answer.costUsd(), millisSince(started));
    } catch (CompletionAnswers.Unfit e) {
      return failed(e.code(), e.getMessage(), answer.usage(), answer.costUsd(), started);
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
