package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition;
import java.util.Map;

/**
 * Input of a run workflow: the effective flow (release or draft, overrides applied) and its validated input.
 * {@code stream} asks model calls to send their deltas to the run's event log as they arrive. {@code sessionId}
 * (null: none) is the conversation the run belongs to (001's {@code flow_session_id}): memory nodes read its
 * history, and a completed run appends its turn to it.
 */
public record RunRequest(
    String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input,
    boolean stream, String sessionId) {

  public RunRequest(
      String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input,
      boolean stream) {
    this(runId, orgCode, flowSlug, version, flow, input, stream, null);
  }

  public RunRequest(
      String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input) {
    this(runId, orgCode, flowSlug, version, flow, input, false, null);
  }
}
