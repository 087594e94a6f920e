package io.durableflows.api.agents.subagents;

import io.durableflows.api.agents.Agents;
import io.durableflows.api.agents.ConfigPatch;
import io.durableflows.api.agents.MergePatch;
import io.durableflows.api.agents.tools.ToolEntries;
import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowValidator;
import io.durableflows.workflows.tools.BuiltInTools;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sub-agents: each is an agent flow of its own (slug {@code <parent>--<name>}, input {@code message}) that the
 * parent's agent node lists as {@code {name, description, flow}}. Every change publishes the flows it touches,
 * in one transaction: a refused change publishes nothing.
 */
@Service
public class Subagents {
  static final String SEPARATOR = "--";
  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");
  private final Agents agents;

  public Subagents(Agents agents) {
    this.agents = agents;
  }

  /** A sub-agent: the parent, its entry in the parent's agent node, and its own agent flow (null if gone). */
  public record Sub(Agents.Agent parent, Map<String, Object> entry, Agents.Agent agent) {
    String name() {
      return (String) entry.get("name");
    }
  }

  public Sub require(String orgId, String parentRef, String name) {
    Agents.Agent parent = agents.require(orgId, parentRef);
    Map<String, Object> entry = parent.subagents().stream().filter(s -> name.equals(s.get("name"))).findFirst()
        .orElseThrow(() -> ApiException.notFound("sub-agent '" + name + "' of agent '" + parent.slug() + "'"));
    return new Sub(parent, entry, flowOf(orgId, entry));
  }

  public List<Sub> list(String orgId, String parentRef) {
    Agents.Agent parent = agents.require(orgId, parentRef);
    return parent.subagents().stream().map(e -> new Sub(parent, e, flowOf(orgId, e))).toList();
  }

  private Agents.Agent flowOf(String orgId, Map<String, Object> entry) {
    try {
      return agents.require(orgId, String.valueOf(entry.get("flow")));
    } catch (ApiException e) {
      if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.GONE) return null;
      throw e;
    }
  }

  /** The sub-agent's flow, or 404 when it no longer exists. */
  static Agents.Agent agentOf(Sub sub) {
    if (sub.agent() == null) {
      throw ApiException.notFound("the flow '" + sub.entry().get("flow") + "' of sub-agent '" + sub.name() + "'");
    }
    return sub.agent();
  }

  /**
   * Creates the sub-agent's flow from {@code {name, description, tools: [names], config | agent properties}} and
   * lists it in the parent; both are published.
   */
  @Transactional
  public Sub create(String orgId, String parentRef, Map<String, Object> body) {
    Agents.Agent parent = agents.require(orgId, parentRef);
    List<FieldError> errors = new ArrayList<>();
    Object name = body.get("name");
    if (!(name instanceof String n) || !NAME.matcher(n).matches()) {
      errors.add(FieldError.of("name", "is required: 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit"));
    }
    Object description = body.get("description");
    if (!(description instanceof String d) || d.isBlank()) {
      errors.add(FieldError.of("description", "is required: what the parent's model reads to delegate to it"));
    }
    Object toolNames = body.get("tools");
    if (toolNames != null && !(toolNames instanceof List<?> l && l.stream().allMatch(t -> t instanceof String))) {
      errors.add(FieldError.of("tools", "must be an array of tool names (the parent's tools or built-ins)"));
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_request", "invalid sub-agent", errors);
    String subName = (String) name;
    String slug = parent.slug() + SEPARATOR + subName;
    if (!FlowValidator.SLUG.matcher(slug).matches()) {
      throw ApiException.invalid("invalid_request", "invalid sub-agent", List.of(FieldError.of("name",
          "makes the sub-agent's flow slug '" + slug + "' longer than 63 characters: choose a shorter name")));
    }
    ToolEntries.requireFree(parent.tools(), parent.subagents(), subName, -1);
    ConfigPatch patch = ConfigPatch.parse(body, Set.of("name", "description", "tools"));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("prompt", "{{input.message}}");
    MergePatch.applyTo(data, patch.data());
    if (toolNames != null) {
      List<Object> tools = data.get("tools") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
      for (Object t : (List<?>) toolNames) {
        if (ToolEntries.indexOf(tools, (String) t) >= 0) continue;
        tools.add(available(parent, (String) t));
      }
      data.put("tools", tools);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("slug", slug);
    document.put("name", (parent.flow().name() == null ? parent.slug() : parent.flow().name()) + " / " + subName);
    document.put("description", description);
    document.put("project", parent.flow().projectSlug());
    document.put("nodes", List.of(
        node("input", "input", Map.of("variables", List.of(Map.of("name", "message", "type", "string",
            "required", true, "description", "The task the parent agent delegates")))),
        node("agent", "agent", data),
        node("output", "output", Map.of("shape", "raw", "source", "agent"))));
    document.put("edges", List.of(Map.of("id", "e1", "source", "input", "target", "agent"),
        Map.of("id", "e2", "source", "agent", "target", "output")));
    Agents.Edited created = agents.create(orgId, document, "sub-agent of " + parent.slug());
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", subName);
    entry.put("description", description);
    entry.put("flow", slug);
    Agents.Edited parentEdit = agents.edit(orgId, parent.flow().id(), "sub-agent added: " + subName, draft -> {
      List<Object> subs = subagentsOf(draft);
      ToolEntries.requireFree(toolsOf(draft), castSubs(subs), subName, -1);
      subs.add(entry);
      draft.data().put("subagents", subs);
    });
    return new Sub(parentEdit.agent(), entry, created.agent());
  }

  /** Changes the sub-agent's description and configuration (its flow's agent node); its name stays. */
  @Transactional
  public Sub update(String orgId, String parentRef, String name, Map<String, Object> body) {
    Sub sub = require(orgId, parentRef, name);
    Agents.Agent agent = agentOf(sub);
    if (body.containsKey("name") && !name.equals(body.get("name"))) {
      throw ApiException.invalid("invalid_request", "invalid sub-agent", List.of(FieldError.of("name",
          "a sub-agent cannot be renamed: create another and delete this one")));
    }
    Object description = body.get("description");
    if (body.containsKey("description") && !(description instanceof String d && !d.isBlank())) {
      throw ApiException.invalid("invalid_request", "invalid sub-agent",
          List.of(FieldError.of("description", "must be a non-empty string")));
    }
    ConfigPatch patch = ConfigPatch.parse(body, Set.of("name", "description"));
    if (patch.isEmpty() && description == null) throw ApiException.badRequest("invalid_request", "nothing to change");
    Agents.Edited subEdit = agents.edit(orgId, agent.flow().id(), "updated as sub-agent of " + sub.parent().slug(),
        draft -> {
          patch.applyTo(draft);
          if (description != null) draft.set("description", description);
        });
    Agents.Agent parent = sub.parent();
    Map<String, Object> entry = sub.entry();
    if (description != null && !Objects.equals(description, sub.entry().get("description"))) {
      Agents.Edited parentEdit = agents.edit(orgId, parent.flow().id(), "sub-agent updated: " + name, draft -> {
        List<Object> subs = subagentsOf(draft);
        for (int i = 0; i < subs.size(); i++) {
          if (subs.get(i) instanceof Map<?, ?> m && name.equals(m.get("name"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> changed = new LinkedHashMap<>((Map<String, Object>) m);
            changed.put("description", description);
            subs.set(i, changed);
          }
        }
        draft.data().put("subagents", subs);
      });
      parent = parentEdit.agent();
      entry = parent.subagents().stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
    }
    return new Sub(parent, entry, subEdit.agent());
  }

  /** Removes the sub-agent from the parent (published) and deletes its flow (kept as a tombstone). */
  @Transactional
  public void delete(String orgId, String parentRef, String name) {
    Sub sub = require(orgId, parentRef, name);
    agents.edit(orgId, sub.parent().flow().id(), "sub-agent deleted: " + name, draft -> {
      List<Object> subs = subagentsOf(draft);
      subs.removeIf(s -> s instanceof Map<?, ?> m && name.equals(m.get("name")));
      draft.data().put("subagents", subs);
    });
    if (sub.agent() != null) agents.tombstone(orgId, sub.agent().flow().id());
  }

  /** Gives the sub-agent one of the parent's tools (or a built-in) by name, copying its definition. */
  @Transactional
  public Agents.Edited assignTool(String orgId, String parentRef, String name, String tool) {
    Sub sub = require(orgId, parentRef, name);
    Agents.Agent agent = agentOf(sub);
    Object definition = available(sub.parent(), tool);
    return agents.edit(orgId, agent.flow().id(), "tool assigned: " + tool, draft -> {
      List<Object> tools = toolsOf(draft);
      if (ToolEntries.indexOf(tools, tool) >= 0) {
        throw ApiException.conflict("tool_exists", "sub-agent '" + name + "' already has tool '" + tool + "'");
      }
      ToolEntries.requireFree(tools, castSubs(subagentsOf(draft)), tool, -1);
      tools.add(definition);
      draft.data().put("tools", tools);
    });
  }

  @Transactional
  public Agents.Edited removeTool(String orgId, String parentRef, String name, String tool) {
    Sub sub = require(orgId, parentRef, name);
    Agents.Agent agent = agentOf(sub);
    if (ToolEntries.indexOf(agent.tools(), tool) < 0) {
      throw ApiException.notFound("tool '" + tool + "' of sub-agent '" + name + "'");
    }
    return agents.edit(orgId, agent.flow().id(), "tool removed: " + tool, draft -> {
      List<Object> tools = toolsOf(draft);
      int at = ToolEntries.indexOf(tools, tool);
      if (at < 0) throw ApiException.notFound("tool '" + tool + "' of sub-agent '" + name + "'");
      tools.remove(at);
      draft.data().put("tools", tools);
    });
  }

  /** What a sub-agent may be given: the parent's tools, then the built-ins the parent does not list. */
  static List<Object> availableTools(Agents.Agent parent) {
    List<Object> out = new ArrayList<>(parent.tools());
    for (String builtIn : BuiltInTools.names()) {
      if (ToolEntries.indexOf(out, builtIn) < 0) out.add(builtIn);
    }
    return out;
  }

  private static Object available(Agents.Agent parent, String tool) {
    List<Object> available = availableTools(parent);
    int at = ToolEntries.indexOf(available, tool);
    if (at < 0) {
      throw ApiException.invalid("tool_not_available", "the tool is not available to this sub-agent",
          List.of(FieldError.of("tool", "'" + tool + "' is neither a tool of agent '" + parent.slug()
              + "' nor a built-in; available: " + available.stream().map(ToolEntries::name).toList())));
    }
    return available.get(at);
  }

  private static Map<String, Object> node(String id, String type, Map<String, Object> data) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("id", id);
    node.put("type", type);
    node.put("data", data);
    return node;
  }

  private static List<Object> toolsOf(Agents.Draft draft) {
    return draft.data().get("tools") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
  }

  private static List<Object> subagentsOf(Agents.Draft draft) {
    return draft.data().get("subagents") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> castSubs(List<Object> subs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object s : subs) if (s instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
    return out;
  }
}
