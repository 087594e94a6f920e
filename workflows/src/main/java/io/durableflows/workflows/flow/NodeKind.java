package io.durableflows.workflows.flow;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The node kinds the interpreter knows, with the {@code data} properties each accepts. */
public enum NodeKind {
  INPUT("input", Set.of("variables", "label")),
  LLM("llm", Set.of("provider", "model", "systemPrompt", "prompt", "temperature", "maxTokens", "label")),
  TEMPLATE("template", Set.of("template", "json", "label")),
  OUTPUT("output", Set.of("shape", "source", "template", "label"));

  private final String type;
  private final Set<String> properties;

  NodeKind(String type, Set<String> properties) {
    this.type = type;
    this.properties = properties;
  }

  public String type() {
    return type;
  }

  public Set<String> properties() {
    return properties;
  }

  public static Optional<NodeKind> of(String type) {
    return Arrays.stream(values()).filter(k -> k.type.equals(type)).findFirst();
  }
}
