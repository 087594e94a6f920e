package io.durableflows.workflows.tools;

/**
 * Drafting a tool definition from a description with a model ({@code POST /api/v1/agent/{id}/tools/generate}):
 * the system prompt of that model call. The offline model recognises it by its first line and drafts a
 * definition by rule, so the route works with no API key.
 */
public final class ToolDrafts {
  /** The first line of the system prompt. */
  public static final String MARKER = "You draft tool definitions for Durable Flows agents.";
  public static final String SYSTEM_PROMPT = MARKER + """

      The user describes a tool. Answer with one JSON object and nothing else, a tool definition:
      "name" (1-64 letters, digits, '_' or '-', snake_case), "description" (what the tool does, for the model that
      picks it), "kind": "http", "parameters" (a JSON Schema of type object for the tool's arguments, each property
      with a type and a description), and "http": an object with "method" and "url".
      Do not invent secrets or API keys.""";

  private ToolDrafts() {}
}
