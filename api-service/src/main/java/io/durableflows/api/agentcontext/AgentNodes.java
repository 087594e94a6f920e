package io.durableflows.api.agentcontext;

import io.durableflows.api.agents.Agents;
import org.springframework.stereotype.Component;

/**
 * The agent {@code {id}} names (slug or flow id) in the caller's org, found by the agents API ({@link Agents}):
 * 404 {@code not_found} when unknown, another org's or not an agent flow, 410 {@code agent_tombstoned} when deleted.
 */
@Component
public class AgentNodes {
  private final Agents agents;

  public AgentNodes(Agents agents) {
    this.agents = agents;
  }

  public AgentNode require(String orgId, String ref) {
    Agents.Agent agent = agents.require(orgId, ref);
    return new AgentNode(agent.slug(), agent.nodeId(), agent.data());
  }
}
