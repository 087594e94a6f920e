package io.durableflows.activities.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class LlmActivitiesImpl implements LlmActivities {
  private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);
  private final ModelProviders providers;

  public LlmActivitiesImpl(ModelProviders providers) {
    this.providers = providers;
  }

  @Override
  public LlmReply complete(LlmCall call) {
    ModelProviders.Resolved resolved = providers.resolve(call.provider(), call.model());
    String provider = resolved.provider().name();
    List<ChatMessage> messages = new ArrayList<>();
    if (call.systemPrompt() != null && !call.systemPrompt().isBlank()) {
      messages.add(SystemMessage.from(call.systemPrompt()));
    }
    messages.add(UserMessage.from(call.prompt() == null || call.prompt().isEmpty() ? " " : call.prompt()));
    ChatRequest request = ChatRequest.builder()
        .messages(messages)
        .modelName(resolved.model())
        .temperature(call.temperature())
        .maxOutputTokens(call.maxTokens())
        .build();
    long started = System.nanoTime();
    ChatResponse response;
    try {
      response = resolved.chatModel().chat(request);
    } catch (ApplicationFailure failure) {
      throw failure;
    } catch (RuntimeException e) {
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
    return new LlmReply(text, provider, model, finish, usage, cost, durationMs);
  }
}
