package io.durableflows.workflows.completions;

import java.util.Locale;

/**
 * The per-item error codes of completion results. Items fail one by one: a wrong item or an answer that does not
 * fit is that item's error, never the whole request's.
 */
public final class CompletionFailures {
  /** The item has the wrong shape for the operation (a number to autocomplete, a template field it lacks). */
  public static final String INVALID_ITEM = "invalid_item";
  /** The operation's options are missing or wrong (checked before a request starts; a batch may still carry them). */
  public static final String INVALID_OPTIONS = "invalid_options";
  /** The model's answer could not be read as the operation asks (no JSON, a label that is not a category). */
  public static final String INVALID_OUTPUT = "invalid_output";
  /** The extracted object does not match the request's JSON Schema. */
  public static final String SCHEMA_MISMATCH = "schema_mismatch";
  /** The item's activity timed out on every attempt. */
  public static final String TIMEOUT = "timeout";

  private CompletionFailures() {}

  /** A typed activity failure ({@code ProviderRejected}) as an item error code ({@code provider_rejected}). */
  public static String code(String failureType) {
    if (failureType == null || failureType.isBlank()) return "failed";
    return failureType.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
