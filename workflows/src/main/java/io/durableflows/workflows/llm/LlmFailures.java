package io.durableflows.workflows.llm;

import java.util.List;

/** Typed failures of LLM activities; the retry policy names the non-retryable ones. */
public final class LlmFailures {
  /** The provider refused the request (400, 404, 422...): retrying cannot help. */
  public static final String PROVIDER_REJECTED = "ProviderRejected";
  /** Missing or wrong credentials (401, 403). */
  public static final String PROVIDER_AUTH = "ProviderAuthFailed";
  /** The node names a provider or model this worker is not configured for. */
  public static final String INVALID_CONFIGURATION = "InvalidModelConfiguration";
  /** Rate limited, overloaded, 5xx or timed out: retried with backoff. */
  public static final String PROVIDER_UNAVAILABLE = "ProviderUnavailable";

  public static final List<String> NON_RETRYABLE = List.of(PROVIDER_REJECTED, PROVIDER_AUTH, INVALID_CONFIGURATION);
  public static final List<String> ALL =
      List.of(PROVIDER_REJECTED, PROVIDER_AUTH, INVALID_CONFIGURATION, PROVIDER_UNAVAILABLE);

  private LlmFailures() {}
}
