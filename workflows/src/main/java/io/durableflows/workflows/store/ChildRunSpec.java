package io.durableflows.workflows.store;

import java.util.Map;

/**
 * A child run to prepare: {@code flow} (slug or id) is resolved in the parent run's organization, release
 * {@code version} when given, else the latest release, else the draft; {@code input} is checked against that flow's
 * input schema. {@code childRunId} is derived from the parent run, the node and an index, so a retried prepare
 * (or a replay) names the same run.
 */
public record ChildRunSpec(
    String parentRunId, String childRunId, String nodeId, String flow, String version, Map<String, Object> input,
    String channel) {

  /** The channel of runs started by a subflow or map node. */
  public static final String SUBFLOW = "subflow";
}
