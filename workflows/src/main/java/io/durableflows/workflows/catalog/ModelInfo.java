package io.durableflows.workflows.catalog;

import java.util.List;

/** A model the platform knows, with its price in USD per million tokens. */
public record ModelInfo(
    String provider,
    String id,
    List<String> capabilities,
    int contextWindow,
    double inputPerMillion,
    double outputPerMillion) {

  public double cost(long promptTokens, long completionTokens) {
    return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000d;
  }
}
