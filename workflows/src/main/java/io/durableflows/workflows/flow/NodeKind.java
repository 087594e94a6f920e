package io.durableflows.workflows.flow;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The node kinds the interpreter knows, with the {@code data} properties each accepts. */
public enum NodeKind {
  INPUT("input", Set.of("variables", "label")),
  LLM("llm", Set.of("provider", "model", "systemPrompt", "prompt", "temperature", "maxTokens", "label")),
  TEMPLATE("template", Set.of("template", "json", "label")),
  OUTPUT("output", Set.of("shape", "source", "template", "label")),
  /** Pauses the run until a person approves or denies; a denial takes the node's {@code denied} edges. */
  APPROVAL("approval", Set.of("message", "context", "timeout", "timeoutDecision", "label")),
  /** Asks a person a typed question (free text, a choice, or JSON matching a schema) and continues with the answer. */
  QUESTION("question", Set.of("question", "answerType", "choices", "schema", "timeout", "timeoutAnswer", "label")),
  /** Calls one tool with templated arguments, after a person approves when the tool's approval policy says so. */
  TOOL("tool", Set.of("tool", "definition", "arguments", "approval", "approvalMessage", "timeout", "timeoutDecision",
      "label")),
  /**
   * A model that calls tools in a loop until it answers: each model turn and each tool call is an activity, flow
   * tools and sub-agents run as child workflows, and approval policies apply to every call.
   */
  AGENT("agent", Set.of("provider", "model", "systemPrompt", "prompt", "temperature", "maxTokens", "tools",
      "subagents", "skills", "promptBlocks", "contextBlocks", "maxSteps", "toolResultLimit", "parallelToolCalls",
      "timeout", "timeoutDecision", "label")),
  /**
   * Takes the branch of the first case whose CEL condition holds ({@code sourceHandle} = the case id), else the
   * {@code default} branch.
   */
  SWITCH("switch", Set.of("cases", "default", "label")),
  /** The branches leaving it run concurrently, joined where they meet. */
  PARALLEL("parallel", Set.of("label")),
  /** Runs a flow (a child run each) or a prompt (a model call each) for every item of a list, in order. */
  MAP("map", Set.of("items", "concurrency", "failFast", "flow", "version", "input", "prompt", "systemPrompt",
      "provider", "model", "temperature", "maxTokens", "label")),
  /** Runs another flow of the organization as a child run and continues with its output. */
  SUBFLOW("subflow", Set.of("flow", "version", "input", "label")),
  /**
   * Loads the run's session history (last {@code window} messages and/or newest first within {@code tokenBudget}
   * approximate tokens; {@code compact} summarises what does not fit); llm and agent nodes it has an edge to get it.
   */
  MEMORY("memory", Set.of("window", "tokenBudget", "compact", "provider", "model", "label"));

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

  /** Kinds that may pause the run for a person, and whose outgoing edges can name the {@code denied} branch. */
  public boolean branches() {
    return this == APPROVAL || this == TOOL;
  }

  /** Every kind's type, in declaration order: for error messages. */
  public static String types() {
    return String.join(", ", Arrays.stream(values()).map(NodeKind::type).toList());
  }

  public static Optional<NodeKind> of(String type) {
    return Arrays.stream(values()).filter(k -> k.type.equals(type)).findFirst();
  }
}
