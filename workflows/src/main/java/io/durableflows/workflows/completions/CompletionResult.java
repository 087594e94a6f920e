package io.durableflows.workflows.completions;

import io.durableflows.workflows.llm.Usage;

/** One item's result: {@code output} when it succeeded, else {@code error} (a failure type) and {@code message}. */
public record CompletionResult(
    Object output, String error, String message, Usage usage, double costUsd, long durationMs) {

  public boolean ok() {
    return error == null;
  }
}
