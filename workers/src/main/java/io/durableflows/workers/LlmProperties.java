package io.durableflows.workers;

import io.durableflows.activities.llm.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code df.llm.*}: the default provider and the provider table. A provider is active when it has an API key,
 * or, for keyless kinds (ollama), a base URL. {@code streamFlushInterval} batches streamed deltas into signals;
 * {@code offlineWordDelay} paces the offline model when it streams.
 */
@ConfigurationProperties("df.llm")
public record LlmProperties(String defaultProvider, Map<String, Provider> providers, Duration streamFlushInterval,
    Duration offlineWordDelay) {

  public record Provider(String kind, String baseUrl, String apiKey, String defaultModel, Duration timeout) {
    boolean active() {
      boolean keyless = "ollama".equals(kind);
      return keyless ? notBlank(baseUrl) : notBlank(apiKey);
    }
  }

  List<ProviderSettings> activeProviders() {
    if (providers == null) return List.of();
    return providers.entrySet().stream()
        .filter(e -> e.getValue().active())
        .map(e -> new ProviderSettings(e.getKey(), e.getValue().kind(), blankToNull(e.getValue().baseUrl()),
            e.getValue().apiKey(), e.getValue().defaultModel(), e.getValue().timeout()))
        .toList();
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String blankToNull(String s) {
    return notBlank(s) ? s : null;
  }
}
