package io.durableflows.api.agentcontext;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Finds the agent {@code {id}} names (slug or flow id) in the caller's org: the flow that runs (latest release,
 * else the draft) must have exactly one {@code agent} node. 404 {@code not_found} otherwise, 410
 * {@code agent_tombstoned} for a deleted one.
 */
@Component
public class AgentNodes {
  public static final String AGENT = "agent";
  private final FlowService flows;

  public AgentNodes(FlowService flows) {
    this.flows = flows;
  }

  public AgentNode require(String orgId, String ref) {
    if (flows.find(orgId, ref).isEmpty()) {
      if (flows.tombstoned(orgId, ref)) {
        throw new ApiException(HttpStatus.GONE, "agent_tombstoned", "agent '" + ref + "' was deleted");
      }
      throw ApiException.notFound("agent '" + ref + "'");
    }
    ResolvedFlow flow = flows.resolve(orgId, ref, null);
    List<FlowNode> agents = flow.definition().nodesOfType(AGENT);
    if (agents.size() != 1) throw ApiException.notFound("agent '" + ref + "'");
    return new AgentNode(flow, agents.get(0).id(), agents.get(0).data());
  }
}
