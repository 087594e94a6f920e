package io.durableflows.api.tooldryrun;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolDryRunRequest;
import io.durableflows.workflows.tools.ToolDryRunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/agent/{id}/tools/dry-run}: runs a tool once, as the agent's workers would, within a time
 * budget ({@value ToolDryRunRequest#MAX_TIMEOUT_MS} ms) and a size budget (responses cut at 256 KB), through
 * Temporal and persisting nothing in PostgreSQL. Body: {@code {"tool": <ToolDefinition>, "arguments": {...}}}, or
 * {@code {"name": "<a tool of the agent>", ...}}. 200 with {@code ok} true or false (the tool's own failure), 400
 * for an invalid definition or arguments, 404 for an unknown agent or tool.
 */
@RestController
class ToolDryRunController {
  private final FlowService flows;
  private final TemporalGateway gateway;

  ToolDryRunController(FlowService flows, TemporalGateway gateway) {
    this.flows = flows;
    this.gateway = gateway;
  }

  @PostMapping("/api/v1/agent/{id}/tools/dry-run")
  Map<String, Object> dryRun(Caller caller, @PathVariable String id, @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    Map<String, Object> agent = agentNode(caller.orgId(), id);
    if (body == null) throw ApiException.badRequest("invalid_json", "send {\"tool\": {...}, \"arguments\": {...}}");
    Object raw = toolOf(agent, body);
    List<String> problems = ToolDefinition.problems(raw);
    if (!problems.isEmpty()) {
      throw ApiException.invalid("invalid_tool", "the tool definition is invalid",
          problems.stream().map(p -> FieldError.of("tool", p)).toList());
    }
    ToolDefinition definition = ToolDefinition.parse(raw);
    if (ToolDefinition.FLOW.equals(definition.kind())) {
      throw ApiException.invalid("invalid_tool", "flow tools cannot be dry-run",
          List.of(FieldError.of("tool.kind", "dry runs take builtin and http tools; a flow tool runs as a child "
              + "workflow of the agent's run (run the flow itself to try it)")));
    }
    Object args = body.getOrDefault("arguments", Map.of());
    if (!(args instanceof Map<?, ?>)) {
      throw ApiException.invalid("invalid_arguments", "the arguments are invalid",
          List.of(FieldError.of("arguments", "must be an object")));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> arguments = (Map<String, Object>) args;
    List<String> violations = JsonSchemas.violations(definition.parameters(), arguments);
    if (!violations.isEmpty()) {
      throw ApiException.invalid("invalid_arguments", "the arguments do not match the tool's parameters",
          violations.stream().map(v -> FieldError.of("arguments", v)).toList());
    }
    ToolDryRunResult result;
    try {
      result = gateway.dryRunTool(new ToolDryRunRequest(caller.orgId(), definition, arguments,
          ToolDryRunRequest.MAX_RESPONSE_BYTES, ToolDryRunRequest.MAX_TIMEOUT_MS));
    } catch (RunUnreachableException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable", e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", result.ok());
    out.put("tool", definition.name());
    if (result.ok()) {
      out.put("output", result.output());
      out.put("text", result.text());
    } else {
      out.put("error", result.error());
      out.put("message", result.message());
    }
    out.put("duration_ms", result.durationMs());
    return out;
  }

  /** The agent's node: the flow must exist in the caller's org and have a node of type {@code agent}. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> agentNode(String orgId, String id) {
    Optional<FlowRecord> flow = flows.find(orgId, id);
    if (flow.isEmpty()) {
      if (flows.tombstoned(orgId, id)) {
        throw new ApiException(HttpStatus.GONE, "agent_tombstoned", "agent '" + id + "' was deleted");
      }
      throw ApiException.notFound("agent '" + id + "'");
    }
    if (flow.get().document().get("nodes") instanceof List<?> nodes) {
      for (Object n : nodes) {
        if (n instanceof Map<?, ?> node && "agent".equals(node.get("type"))) {
          return node.get("data") instanceof Map<?, ?> data ? (Map<String, Object>) data : Map.of();
        }
      }
    }
    throw ApiException.notFound("agent '" + id + "'");
  }

  /** The tool to try: given whole ({@code tool}), or named from the agent's {@code tools}. */
  private static Object toolOf(Map<String, Object> agent, Map<String, Object> body) {
    boolean hasTool = body.get("tool") != null;
    boolean hasName = body.get("name") != null;
    if (hasTool == hasName) {
      throw ApiException.invalid("invalid_request", "give the tool to try",
          List.of(FieldError.of("tool", "give either \"tool\" (a tool definition) or \"name\" (one of the agent's "
              + "tools)")));
    }
    if (hasTool) return body.get("tool");
    if (!(body.get("name") instanceof String name)) {
      throw ApiException.invalid("invalid_request", "give the tool to try",
          List.of(FieldError.of("name", "must be a string")));
    }
    if (agent.get("tools") instanceof List<?> tools) {
      for (Object t : tools) {
        if (name.equals(t) || (t instanceof Map<?, ?> m && name.equals(m.get("name")))) return t;
      }
    }
    throw ApiException.notFound("tool '" + name + "' of this agent");
  }
}
