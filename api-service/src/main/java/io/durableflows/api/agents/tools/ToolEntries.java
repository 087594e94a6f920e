package io.durableflows.api.agents.tools;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.tools.ToolApprovalPolicy;
import io.durableflows.workflows.tools.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entries of an agent node's {@code tools} list (a built-in's name, or a {@link ToolDefinition} object): their
 * names, how they read in responses, and the checks a registration passes.
 */
public final class ToolEntries {
  private static final Set<String> PROPERTIES =
      Set.of("name", "description", "kind", "parameters", "approval", "http", "flow", "version");
  private static final Pattern FIELD = Pattern.compile("^(name|kind|description|parameters|http|flow|approval): (.*)$");

  private ToolEntries() {}

  public static String name(Object entry) {
    if (entry instanceof String s) return s;
    return entry instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : null;
  }

  /** Index of the tool named {@code name} in {@code tools}, or -1. */
  public static int indexOf(List<Object> tools, String name) {
    for (int i = 0; i < tools.size(); i++) {
      if (name.equals(name(tools.get(i)))) return i;
    }
    return -1;
  }

  /** The tool as a full definition, with its effective approval policy. */
  public static Map<String, Object> view(Object entry) {
    Map<String, Object> out;
    Object approval = entry instanceof Map<?, ?> m ? m.get("approval") : null;
    try {
      ToolDefinition definition = ToolDefinition.parse(entry);
      out = definition.toJson();
      out.put("approval", approval != null ? approval : definition.approvalPolicy().mode());
    } catch (RuntimeException unusable) {
      out = new LinkedHashMap<>();
      out.put("name", name(entry));
      out.put("definition", entry);
      out.put("approval", approval != null ? approval : ToolApprovalPolicy.NEVER);
    }
    return out;
  }

  /** 400 {@code invalid_tool} naming each problem of a tool definition; nothing when it is usable. */
  public static void check(Object entry) {
    List<FieldError> errors = new ArrayList<>();
    for (String problem : ToolDefinition.problems(entry)) {
      Matcher m = FIELD.matcher(problem);
      errors.add(m.matches() ? FieldError.of(m.group(1), m.group(2)) : FieldError.of("tool", problem));
    }
    if (entry instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!PROPERTIES.contains(key)) {
          errors.add(FieldError.of(String.valueOf(key), "is not a property of a tool definition " + PROPERTIES));
        }
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_tool", "the tool definition is invalid", errors);
  }

  /** The entry as an object that can be patched (a built-in's bare name becomes {@code {"name": …}}). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> editable(Object entry) {
    if (entry instanceof Map<?, ?> m) return new LinkedHashMap<>((Map<String, Object>) m);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", entry);
    out.put("kind", ToolDefinition.BUILTIN);
    return out;
  }

  /** 409 when {@code name} is taken by another tool or a sub-agent of the same agent (the model calls both). */
  public static void requireFree(List<Object> tools, List<Map<String, Object>> subagents, String name, int except) {
    int at = indexOf(tools, name);
    if (at >= 0 && at != except) {
      throw ApiException.conflict("tool_exists", "a tool named '" + name + "' is already registered");
    }
    if (subagents.stream().anyMatch(s -> name.equals(s.get("name")))) {
      throw ApiException.conflict("tool_exists", "a sub-agent is named '" + name + "': tool names must differ");
    }
  }
}
