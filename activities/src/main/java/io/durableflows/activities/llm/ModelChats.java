package io.durableflows.activities.llm;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.Usage;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * One blocking model call over a list of messages, for activities other than {@code LlmComplete} (summaries,
 * titles): provider errors become the same typed failures, so the LLM retry policy applies.
 */
public final class ModelChats {
  private final ModelProviders providers;

  public ModelChats(ModelProviders providers) {
    this.providers = providers;
  }

  public record Answer(String text, String provider, String model, Usage usage, double costUsd) {}

  public Answer chat(String provider, String model, List<ChatMessage> messages, Integer maxTokens) {
    return chat(provider, model, messages, maxTokens, null);
  }

  /** As {@link #chat(String, String, List, Integer)}, with a sampling temperature (null: the provider's). */
  public Answer chat(String provider, String model, List<ChatMessage> messages, Integer maxTokens,
      Double temperature) {
    ModelProviders.Resolved resolved = providers.resolve(provider, model);
    ChatRequest request = ChatRequest.builder()
        .messages(ChatMessages.toLangchain(messages))
        .modelName(resolved.model())
        .maxOutputTokens(maxTokens)
        .temperature(temperature)
        .build();
    ChatResponse response;
    try {
      response = resolved.chatModel().chat(request);
    } catch (RuntimeException e) {
      if (e instanceof ApplicationFailure) throw e;
      throw ProviderErrors.toFailure(resolved.provider().name(), resolved.model(), e, resolved.provider().apiKey());
    }
    TokenUsage tokens = response.tokenUsage();
    Usage usage = tokens == null ? Usage.ZERO : new Usage(
        tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount(),
        tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount());
    String text = response.aiMessage() == null || response.aiMessage().text() == null ? ""
        : response.aiMessage().text().strip();
    double cost = ModelCatalog.cost(resolved.provider().kind(), resolved.model(), usage.promptTokens(),
        usage.completionTokens());
    return new Answer(text, resolved.provider().name(),
        response.modelName() == null ? resolved.model() : response.modelName(), usage, cost);
  }
}
