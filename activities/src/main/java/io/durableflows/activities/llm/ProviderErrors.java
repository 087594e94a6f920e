package io.durableflows.activities.llm;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import io.durableflows.workflows.llm.LlmFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/** Maps what a provider call threw onto the typed failures the LLM retry policy knows. */
final class ProviderErrors {
  private static final int MAX_BODY = 300;

  private ProviderErrors() {}

  /**
   * {@code apiKey} is the key the call was made with: providers echo it back in error bodies (OpenAI's 401
   * "Incorrect API key provided: sk-..."), and failure messages end up in logs and workflow history, so any
   * occurrence is masked.
   */
  static ApplicationFailure toFailure(String provider, String model, Throwable error, String apiKey) {
    String where = "provider '" + provider + "' model '" + model + "'";
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpException http) {
        Duration retryAfter = http instanceof StatusCapturingHttpClient.ProviderHttpException p ? p.retryAfter() : null;
        return forStatus(http.statusCode(), where + " answered HTTP " + http.statusCode() + ": "
            + excerpt(redact(http.getMessage(), apiKey)), retryAfter);
      }
    }
    if (error instanceof AuthenticationException) {
      return ApplicationFailure.newNonRetryableFailure(where + ": " + excerpt(redact(error.getMessage(), apiKey)),
          LlmFailures.PROVIDER_AUTH);
    }
    if (error instanceof InvalidRequestException || error instanceof ModelNotFoundException
        || error instanceof NonRetriableException) {
      return ApplicationFailure.newNonRetryableFailure(where + ": " + excerpt(redact(error.getMessage(), apiKey)),
          LlmFailures.PROVIDER_REJECTED);
    }
    // Timeouts, refused connections and anything else transient: Temporal retries with backoff.
    return ApplicationFailure.newFailure(where + " failed: " + redact(describe(error), apiKey),
        LlmFailures.PROVIDER_UNAVAILABLE);
  }

  /** Masks the API key wherever it appears (keys too short to be real secrets are left alone). */
  static String redact(String s, String apiKey) {
    if (s == null || apiKey == null || apiKey.strip().length() < 4) return s;
    return s.replace(apiKey.strip(), "***");
  }

  static ApplicationFailure forStatus(int status, String message, Duration retryAfter) {
    if (status == 401 || status == 403) {
      return ApplicationFailure.newNonRetryableFailure(message, LlmFailures.PROVIDER_AUTH);
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      return ApplicationFailure.newNonRetryableFailure(message, LlmFailures.PROVIDER_REJECTED);
    }
    if (retryAfter != null) {
      return ApplicationFailure.newFailureWithCauseAndDelay(message, LlmFailures.PROVIDER_UNAVAILABLE, null, retryAfter);
    }
    return ApplicationFailure.newFailure(message, LlmFailures.PROVIDER_UNAVAILABLE);
  }

  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = root.getMessage() == null ? "" : ": " + excerpt(root.getMessage());
    return root.getClass().getSimpleName() + msg;
  }

  private static String excerpt(String s) {
    if (s == null) return "";
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() > MAX_BODY ? oneLine.substring(0, MAX_BODY) + "…" : oneLine;
  }
}
