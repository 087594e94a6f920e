package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition;
import java.util.Map;

/**
 * Input of a run workflow: the effective flow (release or draft, overrides applied) and its validated input.
 * {@code stream} asks model calls to send their deltas to the run's event log as they arrive.
 */
public record RunRequest(
    String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input,
    boolean stream) {

  public RunRequest(
      String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input) {
    this(runId, orgCode, flowSlug, version, flow, input, false);
  }
}
