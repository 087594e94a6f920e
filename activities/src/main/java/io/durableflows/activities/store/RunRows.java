package io.durableflows.activities.store;

import io.durableflows.workflows.run.FlowRunWorkflow;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code runs} row of a run that a workflow starts (a sub-flow, an experiment row, a batch item), written as
 * the API writes the rows of the runs it starts: status running, the flow's release, the workflow id. Idempotent
 * by run id, so a retried preparation finds the row it wrote.
 */
public final class RunRows {
  private RunRows() {}

  /** {@code parentRunId} and {@code parentNodeId} are null for runs that belong to no run. */
  public record NewRun(String runId, String orgId, String orgCode, String projectId, String flowId, String slug,
      String releaseId, String version, String historyId, String channel, Map<String, Object> input,
      Map<String, Object> metadata, String parentRunId, String parentNodeId) {}

  public static void insertIfAbsent(JdbcClient jdbc, NewRun run) {
    jdbc.sql("""
            insert into runs (id, org_id, project_id, flow_id, flow_slug, release_id, version, flow_history_id,
              channel, status, input, metadata, workflow_id, started_at, parent_run_id, parent_node_id)
            values (:id, :org, :project, :flow, :slug, :release, :version, :history, :channel, 'running',
              cast(:input as json), cast(:metadata as json), :workflow, clock_timestamp(), :parent, :node)
            on conflict (id) do nothing""")
        .param("id", run.runId()).param("org", run.orgId()).param("project", run.projectId())
        .param("flow", run.flowId()).param("slug", run.slug()).param("release", run.releaseId())
        .param("version", run.version()).param("history", run.historyId()).param("channel", run.channel())
        .param("input", StoredJson.write(run.input())).param("metadata", StoredJson.write(run.metadata()))
        .param("workflow", FlowRunWorkflow.workflowId(run.orgCode(), run.slug(), run.runId()))
        .param("parent", run.parentRunId()).param("node", run.parentNodeId())
        .update();
  }
}
