package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition;
import java.util.Map;

/**
 * Input of a run workflow: the effective flow (release or draft, overrides applied) and its validated input.
 */
public record RunRequest(
    String runId, String orgCode, String flowSlug, String version, FlowDefinition flow, Map<String, Object> input) {}
