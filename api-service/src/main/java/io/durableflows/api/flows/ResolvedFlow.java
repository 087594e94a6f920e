package io.durableflows.api.flows;

import io.durableflows.workflows.flow.FlowDefinition;

/** The definition a run executes: a release's snapshot, or the draft when nothing is published. */
public record ResolvedFlow(
    String flowId, String slug, String projectId, String releaseId, String version, String flowHistoryId,
    FlowDefinition definition) {}
