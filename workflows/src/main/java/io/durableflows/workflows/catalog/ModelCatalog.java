package io.durableflows.workflows.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The model price table. Prices are list prices in USD per million tokens; a model that is not listed costs
 * nothing in run accounting but its tokens are still counted.
 */
public final class ModelCatalog {
  public static final String OFFLINE_PROVIDER = "offline";
  public static final String OFFLINE_MODEL = "offline-echo";

  private static final List<String> CHAT = List.of("chat", "streaming");
  private static final List<String> CHAT_TOOLS = List.of("chat", "streaming", "tools", "json_mode");

  private static final List<ModelInfo> MODELS = List.of(
      new ModelInfo(OFFLINE_PROVIDER, OFFLINE_MODEL, CHAT, 1_000_000, 0, 0),
      new ModelInfo("openai", "gpt-4o-mini", CHAT_TOOLS, 128_000, 0.15, 0.60),
      new ModelInfo("openai", "gpt-4o", CHAT_TOOLS, 128_000, 2.50, 10.00),
      new ModelInfo("openai", "gpt-4.1-mini", CHAT_TOOLS, 1_047_576, 0.40, 1.60),
      new ModelInfo("openai", "gpt-4.1", CHAT_TOOLS, 1_047_576, 2.00, 8.00),
      new ModelInfo("anthropic", "claude-3-5-haiku-latest", CHAT_TOOLS, 200_000, 0.80, 4.00),
      new ModelInfo("anthropic", "claude-sonnet-4-20250514", CHAT_TOOLS, 200_000, 3.00, 15.00),
      new ModelInfo("ollama", "llama3.2", CHAT, 128_000, 0, 0));

  private ModelCatalog() {}

  public static List<ModelInfo> all() {
    return MODELS;
  }

  public static Optional<ModelInfo> find(String provider, String model) {
    return MODELS.stream().filter(m -> m.provider().equals(provider) && m.id().equals(model)).findFirst();
  }

  public static double cost(String provider, String model, long promptTokens, long completionTokens) {
    return find(provider, model).map(m -> m.cost(promptTokens, completionTokens)).orElse(0d);
  }
}
