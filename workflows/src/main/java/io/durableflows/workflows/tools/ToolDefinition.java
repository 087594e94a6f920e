package io.durableflows.workflows.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tool as a flow stores it (in an agent node's {@code tools} list or a tool node's {@code definition}): a
 * built-in worker tool, an HTTP endpoint, or a published flow run as a child workflow. The definition travels in
 * the run's flow snapshot, so every attempt and every replay sees the same tool; secrets are referenced by name
 * ({@code {{secrets.NAME}}}) and only resolved inside the activity, never written to a history.
 *
 * <p>JSON shape: {@code {"name", "description", "kind": "builtin"|"http"|"flow", "parameters": {JSON Schema},
 * "approval": policy, "http": {...}, "flow": "slug", "version": "1.0.0"}}; a bare string names a built-in tool.
 */
public record ToolDefinition(
    String name,
    String description,
    String kind,
    Map<String, Object> parameters,
    Object approval,
    Map<String, Object> http,
    String flow,
    String version) {
  public static final String BUILTIN = "builtin";
  public static final String HTTP = "http";
  public static final String FLOW = "flow";
  public static final List<String> KINDS = List.of(BUILTIN, HTTP, FLOW);
  /** What OpenAI and most providers accept as a function name. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  public ToolDefinition {
    parameters = parameters == null ? Map.of("type", "object", "properties", Map.of()) : parameters;
    kind = kind == null ? BUILTIN : kind;
  }

  /** A built-in tool by name, with the worker's own description and schema. */
  public static ToolDefinition builtIn(ToolSpec spec) {
    return new ToolDefinition(spec.name(), spec.description(), BUILTIN, spec.parameters(), null, null, null, null);
  }

  /**
   * Parses what a flow stores. Built-ins take the worker's description and schema unless the entry gives its
   * own description; call {@link #problems(Object)} first, this assumes a valid entry.
   */
  @SuppressWarnings("unchecked")
  public static ToolDefinition parse(Object raw) {
    if (raw instanceof String name) return builtIn(BuiltInTools.find(name).orElseThrow());
    Map<String, Object> m = (Map<String, Object>) raw;
    String kind = m.get("kind") instanceof String k ? k : BUILTIN;
    String name = (String) m.get("name");
    if (BUILTIN.equals(kind)) {
      ToolSpec spec = BuiltInTools.find(name).orElseThrow();
      return new ToolDefinition(name, m.get("description") instanceof String d ? d : spec.description(), BUILTIN,
          spec.parameters(), m.get("approval"), null, null, null);
    }
    return new ToolDefinition(name, (String) m.get("description"), kind, (Map<String, Object>) m.get("parameters"),
        m.get("approval"), (Map<String, Object>) m.get("http"), (String) m.get("flow"), (String) m.get("version"));
  }

  /** What is wrong with a stored entry, as messages relative to the entry; empty when it is usable. */
  public static List<String> problems(Object raw) {
    List<String> problems = new ArrayList<>();
    if (raw instanceof String name) {
      if (BuiltInTools.find(name).isEmpty()) {
        problems.add("no built-in tool '" + name + "' (built-ins: " + String.join(", ", BuiltInTools.names()) + ")");
      }
      return problems;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      problems.add("a tool is a built-in tool's name or an object");
      return problems;
    }
    Object name = m.get("name");
    if (!(name instanceof String n) || !NAME.matcher(n).matches()) {
      problems.add("name: 1-64 letters, digits, '_' or '-'");
    }
    Object kind = m.get("kind") == null ? BUILTIN : m.get("kind");
    if (!KINDS.contains(kind)) {
      problems.add("kind: one of " + String.join(", ", KINDS));
      return problems;
    }
    if (BUILTIN.equals(kind)) {
      if (name instanceof String n && BuiltInTools.find(n).isEmpty()) {
        problems.add("no built-in tool '" + n + "' (built-ins: " + String.join(", ", BuiltInTools.names()) + ")");
      }
    } else {
      if (!(m.get("description") instanceof String d) || d.isBlank()) {
        problems.add("description: required, it is what the model reads to pick the tool");
      }
      Object params = m.get("parameters");
      if (params != null && !(params instanceof Map<?, ?> p && "object".equals(p.get("type")))) {
        problems.add("parameters: a JSON Schema of type object");
      }
    }
    if (HTTP.equals(kind) && !(m.get("http") instanceof Map<?, ?>)) {
      problems.add("http: required for an http tool ({\"method\", \"url\", \"headers\", \"body\", ...})");
    } else if (HTTP.equals(kind)) {
      for (String p : HttpToolConfig.problems(m.get("http"))) problems.add("http." + p);
    }
    if (FLOW.equals(kind) && !(m.get("flow") instanceof String f && !f.isBlank())) {
      problems.add("flow: the slug of the flow this tool runs");
    }
    if (m.get("approval") != null) {
      for (String p : ToolApprovalPolicy.problems(m.get("approval"))) problems.add("approval: " + p);
    }
    return problems;
  }

  /** The approval policy: the definition's own, else the built-in's default, else never. */
  public ToolApprovalPolicy approvalPolicy() {
    ToolApprovalPolicy fallback = BUILTIN.equals(kind)
        ? BuiltInTools.find(name).map(ToolSpec::defaultApproval).orElse(ToolApprovalPolicy.NEVER_POLICY)
        : ToolApprovalPolicy.NEVER_POLICY;
    return ToolApprovalPolicy.parse(approval, fallback);
  }

  /** The definition back as the JSON a flow stores. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("description", description);
    out.put("kind", kind);
    out.put("parameters", parameters);
    if (approval != null) out.put("approval", approval);
    if (http != null) out.put("http", http);
    if (flow != null) out.put("flow", flow);
    if (version != null) out.put("version", version);
    return out;
  }
}
