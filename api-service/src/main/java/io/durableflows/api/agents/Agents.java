package io.durableflows.api.agents;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ReleaseRecord;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.NodeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents are flows with exactly one {@code agent} node; this finds them (404 unknown or not an agent, 410 deleted)
 * and edits them: every change rewrites the flow's draft, is validated as a whole flow, and publishes a release,
 * all in one transaction under the flow's row lock, so a refused change leaves no trace.
 */
@Service
public class Agents {
  private final FlowService flows;
  private final Json json;

  public Agents(FlowService flows, Json json) {
    this.flows = flows;
    this.json = json;
  }

  /** An agent flow (its draft) and its agent node. */
  public record Agent(FlowRecord flow, String nodeId, Map<String, Object> data) {
    public String slug() {
      return flow.slug();
    }

    /** The agent node's tools: built-in names and tool definitions. */
    public List<Object> tools() {
      return data.get("tools") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    }

    /** The agent node's sub-agents, {@code {name, description, flow, version?}}. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> subagents() {
      List<Map<String, Object>> out = new ArrayList<>();
      if (data.get("subagents") instanceof List<?> l) {
        for (Object o : l) if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
      }
      return out;
    }
  }

  /** A change applied: the agent as it now is and the release that publishes it. */
  public record Edited(Agent agent, ReleaseRecord release) {}

  /**
   * A copy of the agent's flow document being changed: {@code data} is the agent node's data in it (mutable), and
   * {@code document} the whole flow (name and description at its top level).
   */
  public record Draft(Map<String, Object> document, Map<String, Object> data) {
    public void set(String key, Object value) {
      if (value == null) document.remove(key);
      else document.put(key, value);
    }
  }

  public static ApiException gone(String ref) {
    return new ApiException(HttpStatus.GONE, "agent_tombstoned", "agent '" + ref + "' was deleted");
  }

  /** The caller's agent by slug or flow id: 410 when it was deleted, 404 when unknown or not an agent flow. */
  public Agent require(String orgId, String ref) {
    FlowRecord flow = flows.find(orgId, ref).orElseThrow(() -> {
      if (flows.tombstoned(orgId, ref)) return gone(ref);
      return ApiException.notFound("agent '" + ref + "'");
    });
    return of(flow);
  }

  private static Agent of(FlowRecord flow) {
    return asAgent(flow).orElseThrow(
        () -> ApiException.notFound("agent '" + flow.slug() + "' (the flow has no single agent node)"));
  }

  /** The flow as an agent, when it has exactly one agent node. */
  public static java.util.Optional<Agent> asAgent(FlowRecord flow) {
    Map<String, Object> node = agentNode(flow.document());
    return node == null ? java.util.Optional.empty()
        : java.util.Optional.of(new Agent(flow, (String) node.get("id"), dataOf(node)));
  }

  /** The document's only agent node, or null when it has none or several. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> agentNode(Map<String, Object> document) {
    Map<String, Object> found = null;
    if (!(document.get("nodes") instanceof List<?> nodes)) return null;
    for (Object n : nodes) {
      if (n instanceof Map<?, ?> m && NodeKind.AGENT.type().equals(m.get("type"))) {
        if (found != null) return null;
        found = (Map<String, Object>) m;
      }
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dataOf(Map<String, Object> node) {
    return node.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : new LinkedHashMap<>();
  }

  /**
   * Changes the agent: {@code change} edits a copy of the draft; the result is validated as a whole flow (400 with
   * details, nothing changed), saved as the draft and published as a new release.
   */
  @Transactional
  public Edited edit(String orgId, String ref, String notes, Consumer<Draft> change) {
    Agent agent = require(orgId, ref);
    FlowRecord locked = flows.lock(orgId, agent.flow().id());
    Map<String, Object> document = json.readMap(json.write(locked.document()));
    Map<String, Object> node = agentNode(document);
    if (node == null) throw ApiException.notFound("agent '" + ref + "'");
    Map<String, Object> data = new LinkedHashMap<>(dataOf(node));
    node.put("data", data);
    change.accept(new Draft(document, data));
    FlowRecord updated = flows.update(orgId, locked.id(), document);
    ReleaseRecord release = flows.publish(orgId, updated.id(), null, notes);
    return new Edited(require(orgId, updated.id()), release);
  }

  /** Saves a new agent flow and publishes its first release. */
  @Transactional
  public Edited create(String orgId, Map<String, Object> document, String notes) {
    FlowRecord flow = flows.create(orgId, document);
    ReleaseRecord release = flows.publish(orgId, flow.id(), null, notes);
    return new Edited(require(orgId, flow.id()), release);
  }

  /** Deletes the agent, keeping its row: every agent route answers 410 for it afterwards. */
  @Transactional
  public void tombstone(String orgId, String ref) {
    Agent agent = require(orgId, ref);
    flows.tombstone(orgId, agent.flow().id());
  }
}
