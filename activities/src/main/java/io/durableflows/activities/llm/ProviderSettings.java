package io.durableflows.activities.llm;

import java.time.Duration;

/**
 * One configured model provider. {@code kind} is {@code openai} (any OpenAI-compatible server: OpenAI, vLLM,
 * LM Studio, llama.cpp), {@code anthropic}, {@code ollama} or {@code offline}. The API key is never logged:
 * {@link #toString()} leaves it out.
 */
public record ProviderSettings(
    String name, String kind, String baseUrl, String apiKey, String defaultModel, Duration timeout) {

  public ProviderSettings {
    timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
  }

  @Override
  public String toString() {
    return "ProviderSettings[name=" + name + ", kind=" + kind + ", baseUrl=" + baseUrl + ", defaultModel="
        + defaultModel + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "<none>" : "<set>") + "]";
  }
}
