package io.durableflows.api.agents;

import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.NodeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A change to an agent's configuration, as {@code PATCH /config} takes it: {@code name} and {@code description}
 * (the flow's), and a merge patch of the agent node's data, given as {@code config: {...}} or as top-level agent
 * properties ({@code systemPrompt}, {@code model}...). {@code null} removes a property.
 */
public record ConfigPatch(Map<String, Object> flow, Map<String, Object> data) {
  private static final Set<String> FLOW_KEYS = Set.of("name", "description");

  /** Parses a body; {@code ignored} are keys the route reads itself. 400 with details on anything else. */
  @SuppressWarnings("unchecked")
  public static ConfigPatch parse(Map<String, Object> body, Set<String> ignored) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> flow = new LinkedHashMap<>();
    Map<String, Object> data = new LinkedHashMap<>();
    if (body.containsKey("config")) {
      if (body.get("config") instanceof Map<?, ?> c) {
        data.putAll((Map<String, Object>) c);
      } else {
        errors.add(FieldError.of("config", "must be an object: a merge patch of the agent node's data"));
      }
    }
    for (Map.Entry<String, Object> e : body.entrySet()) {
      String key = e.getKey();
      if (key.equals("config") || ignored.contains(key)) continue;
      if (FLOW_KEYS.contains(key)) {
        if (e.getValue() != null && !(e.getValue() instanceof String)) {
          errors.add(FieldError.of(key, "must be a string (or null to remove it)"));
        }
        flow.put(key, e.getValue());
      } else if (NodeKind.AGENT.properties().contains(key)) {
        data.put(key, e.getValue());
      } else {
        errors.add(FieldError.of(key, "is not an agent setting: name, description, config or one of "
            + new java.util.TreeSet<>(NodeKind.AGENT.properties())));
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_request", "invalid agent configuration", errors);
    return new ConfigPatch(flow, data);
  }

  public boolean isEmpty() {
    return flow.isEmpty() && data.isEmpty();
  }

  /** Applies the change to a draft (validation comes after, over the whole flow). */
  public void applyTo(Agents.Draft draft) {
    flow.forEach(draft::set);
    MergePatch.applyTo(draft.data(), data);
  }
}
