package io.durableflows.activities.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.llm.LlmFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured providers, each built once as a langchain4j chat model with langchain4j's retries off:
 * Temporal owns retries; the streaming variant is built on first use. The offline provider is always there.
 */
public final class ModelProviders {
  private static final List<String> KINDS = List.of("offline", "openai", "anthropic", "ollama");
  private final Map<String, ProviderSettings> settings = new LinkedHashMap<>();
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
  private final Map<String, StreamingChatModel> streamingModels = new ConcurrentHashMap<>();
  private final String defaultProvider;
  private final Duration offlineWordDelay;

  public ModelProviders(List<ProviderSettings> configured, String defaultProvider) {
    this(configured, defaultProvider, Duration.ZERO);
  }

  /** {@code offlineWordDelay}: the pause between words when the offline model streams. */
  public ModelProviders(List<ProviderSettings> configured, String defaultProvider, Duration offlineWordDelay) {
    this.offlineWordDelay = offlineWordDelay == null ? Duration.ZERO : offlineWordDelay;
    settings.put(ModelCatalog.OFFLINE_PROVIDER, new ProviderSettings(ModelCatalog.OFFLINE_PROVIDER, "offline", null,
        null, ModelCatalog.OFFLINE_MODEL, null));
    for (ProviderSettings p : configured) {
      if (p.kind() == null || !KINDS.contains(p.kind())) {
        throw new IllegalArgumentException("provider '" + p.name() + "' needs a kind, one of " + KINDS);
      }
      settings.put(p.name(), p);
    }
    this.defaultProvider = defaultProvider == null || defaultProvider.isBlank()
        ? ModelCatalog.OFFLINE_PROVIDER : defaultProvider;
    if (!settings.containsKey(this.defaultProvider)) {
      throw new IllegalArgumentException("default provider '" + this.defaultProvider + "' is not configured; "
          + "configured: " + settings.keySet());
    }
  }

  public String defaultProvider() {
    return defaultProvider;
  }

  public List<ProviderSettings> providers() {
    return List.copyOf(settings.values());
  }

  /** The chat model and model name for a node; null arguments fall back to the configured defaults. */
  public Resolved resolve(String provider, String model) {
    String name = provider == null || provider.isBlank() ? defaultProvider : provider;
    ProviderSettings p = settings.get(name);
    if (p == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "provider '" + name + "' is not configured on this worker (configured: " + settings.keySet() + ")",
          LlmFailures.INVALID_CONFIGURATION);
    }
    String modelName = model == null || model.isBlank() ? p.defaultModel() : model;
    if (modelName == null || modelName.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no model given and provider '" + name + "' has no default model", LlmFailures.INVALID_CONFIGURATION);
    }
    if (p.kind().equals("offline") && !modelName.equals(ModelCatalog.OFFLINE_MODEL)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the offline provider serves only '" + ModelCatalog.OFFLINE_MODEL + "'", LlmFailures.INVALID_CONFIGURATION);
    }
    return new Resolved(p, modelName, models.computeIfAbsent(name, k -> build(p)),
        streamingModels.computeIfAbsent(name, k -> buildStreaming(p)));
  }

  private StreamingChatModel buildStreaming(ProviderSettings p) {
    var http = new StatusCapturingHttpClient.Builder().readTimeout(p.timeout());
    return switch (p.kind()) {
      case "offline" -> new OfflineStreamingChatModel(offlineWordDelay);
      // No maxRetries on the streaming builders: they do not retry.
      case "openai" -> OpenAiStreamingChatModel.builder()
          .baseUrl(p.baseUrl())
          .apiKey(p.apiKey())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .httpClientBuilder(http)
          .build();
      case "anthropic" -> AnthropicStreamingChatModel.builder()
          .baseUrl(p.baseUrl())
          .apiKey(p.apiKey())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .httpClientBuilder(http)
          .build();
      case "ollama" -> OllamaStreamingChatModel.builder()
          .httpClientBuilder(http)
          .baseUrl(p.baseUrl())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .build();
      default -> throw ApplicationFailure.newNonRetryableFailure(
          "provider '" + p.name() + "' has unknown kind '" + p.kind() + "'", LlmFailures.INVALID_CONFIGURATION);
    };
  }

  private static ChatModel build(ProviderSettings p) {
    var http = new StatusCapturingHttpClient.Builder().readTimeout(p.timeout());
    return switch (p.kind()) {
      case "offline" -> new OfflineChatModel();
      case "openai" -> OpenAiChatModel.builder()
          .baseUrl(p.baseUrl())
          .apiKey(p.apiKey())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .maxRetries(0)
          .httpClientBuilder(http)
          .build();
      case "anthropic" -> AnthropicChatModel.builder()
          .baseUrl(p.baseUrl())
          .apiKey(p.apiKey())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .maxRetries(0)
          .httpClientBuilder(http)
          .build();
      case "ollama" -> OllamaChatModel.builder()
          .maxRetries(0)
          .httpClientBuilder(http)
          .baseUrl(p.baseUrl())
          .modelName(p.defaultModel())
          .timeout(p.timeout())
          .build();
      default -> throw ApplicationFailure.newNonRetryableFailure(
          "provider '" + p.name() + "' has unknown kind '" + p.kind() + "'", LlmFailures.INVALID_CONFIGURATION);
    };
  }

  public record Resolved(
      ProviderSettings provider, String model, ChatModel chatModel, StreamingChatModel streamingModel) {}
}
