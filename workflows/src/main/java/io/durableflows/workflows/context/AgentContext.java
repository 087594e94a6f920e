package io.durableflows.workflows.context;

/** Pure helper for the agent node: its system prompt with its skills and blocks appended. */
public final class AgentContext {
  private AgentContext() {}

  /**
   * {@code base} (the node's rendered system prompt, may be empty) followed by the blocks' text; either alone when
   * the other is empty.
   */
  public static String systemPrompt(String base, ContextBlocks blocks) {
    String b = base == null ? "" : base.strip();
    String extra = blocks == null ? "" : blocks.text().strip();
    if (extra.isEmpty()) return b;
    if (b.isEmpty()) return extra;
    return b + "\n\n" + extra;
  }

  /** Whether the node names any skill or block (no activity is needed when it does not). */
  public static boolean needed(ContextRequest request) {
    return !request.skills().isEmpty() || !request.promptBlocks().isEmpty() || !request.contextBlocks().isEmpty();
  }
}
