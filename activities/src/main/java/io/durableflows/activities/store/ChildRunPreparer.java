package io.durableflows.activities.store;

import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InvalidFlowException;
import io.durableflows.workflows.run.ChildRunFailure;
import io.durableflows.workflows.run.ChildRuns;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolves and records a child run as the API resolves and records a run: the flow in the parent run's
 * organization (release {@code version}, else the latest release, else the draft), input checked against its
 * input schema, a {@code runs} row (status running, channel {@code subflow}, {@code parent_run_id}). Idempotent
 * by the child's run id: a retry finds the row and hands back the same request.
 */
final class ChildRunPreparer {
  private static final String DRAFT = "draft";
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  ChildRunPreparer(JdbcClient jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  private record Parent(String orgId, String orgCode, int depth) {}

  private record Resolved(String flowId, String slug, String projectId, String releaseId, String version,
      String historyId, FlowDefinition definition) {}

  RunRequest prepare(ChildRunSpec spec) {
    return tx.execute(status -> {
      Parent parent = parent(spec.parentRunId());
      Optional<RunRequest> existing = existing(spec, parent);
      if (existing.isPresent()) return existing.get();
      if (parent.depth() + 1 > ChildRuns.MAX_DEPTH) {
        throw refuse(ChildRunFailure.TOO_DEEP, "child runs nest at most " + ChildRuns.MAX_DEPTH
            + " deep (does a flow run itself?)");
      }
      Resolved flow = resolve(parent.orgId(), spec.flow(), spec.version());
      Map<String, Object> input;
      try {
        input = InputSchema.of(flow.definition()).validate(spec.input());
      } catch (InvalidFlowException e) {
        throw refuse(ChildRunFailure.INVALID_INPUT, "input does not match the input schema of flow '" + flow.slug()
            + "': " + e.errors().stream().map(ChildRunPreparer::describe).collect(Collectors.joining("; ")));
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("parent_run_id", spec.parentRunId());
      metadata.put("parent_node_id", spec.nodeId());
      RunRows.insertIfAbsent(jdbc, new RunRows.NewRun(spec.childRunId(), parent.orgId(), parent.orgCode(),
          flow.projectId(), flow.flowId(), flow.slug(), flow.releaseId(), flow.version(), flow.historyId(),
          spec.channel() == null ? ChildRunSpec.SUBFLOW : spec.channel(), input, metadata, spec.parentRunId(),
          spec.nodeId()));
      return new RunRequest(spec.childRunId(), parent.orgCode(), flow.slug(), flow.version(), flow.definition(), input);
    });
  }

  private Parent parent(String parentRunId) {
    var row = jdbc.sql("""
            with recursive chain (id, parent, depth) as (
              select id, parent_run_id, 0 from runs where id = :run
              union all
              select r.id, r.parent_run_id, c.depth + 1 from runs r join chain c on r.id = c.parent
              where c.depth < 64)
            select r.org_id, o.org_code, (select max(depth) from chain) as depth
            from runs r join organizations o on o.id = r.org_id where r.id = :run""")
        .param("run", parentRunId)
        .query((rs, n) -> new Parent(rs.getString("org_id"), rs.getString("org_code"), rs.getInt("depth")))
        .optional();
    return row.orElseThrow(() -> refuse(ChildRunFailure.NOT_FOUND, "the parent run '" + parentRunId + "' is unknown"));
  }

  /** The child recorded by an earlier attempt: the same flow snapshot and input. */
  private Optional<RunRequest> existing(ChildRunSpec spec, Parent parent) {
    return jdbc.sql("select flow_id, flow_slug, release_id, version, input from runs where id = :id")
        .param("id", spec.childRunId())
        .query((rs, n) -> {
          String releaseId = rs.getString("release_id");
          String definition = releaseId != null
              ? jdbc.sql("select definition from flow_releases where id = :id").param("id", releaseId)
                  .query(String.class).optional().orElse(null)
              : jdbc.sql("select definition from flows where id = :id").param("id", rs.getString("flow_id"))
                  .query(String.class).optional().orElse(null);
          if (definition == null) {
            throw refuse(ChildRunFailure.NOT_FOUND, "flow '" + rs.getString("flow_slug") + "' no longer exists");
          }
          return new RunRequest(spec.childRunId(), parent.orgCode(), rs.getString("flow_slug"),
              rs.getString("version"), definition(definition), StoredJson.readMap(rs.getString("input")));
        })
        .optional();
  }

  private Resolved resolve(String orgId, String ref, String version) {
    record FlowRow(String id, String slug, String projectId, String definition, String historyId) {}
    FlowRow flow = jdbc.sql("""
            select id, slug, project_id, definition, draft_history_id from flows
            where org_id = :org and (slug = :ref or id = :ref) order by (id = :ref) desc limit 1""")
        .param("org", orgId).param("ref", ref)
        .query((rs, n) -> new FlowRow(rs.getString("id"), rs.getString("slug"), rs.getString("project_id"),
            rs.getString("definition"), rs.getString("draft_history_id")))
        .optional()
        .orElseThrow(() -> refuse(ChildRunFailure.NOT_FOUND, "no flow '" + ref + "' in this organization"));
    record ReleaseRow(String id, String version, String definition, String historyId) {}
    var release = jdbc.sql(version != null
            ? "select id, version, definition, flow_history_id from flow_releases where flow_id = :flow and version = :version"
            : "select id, version, definition, flow_history_id from flow_releases where flow_id = :flow order by seq desc limit 1")
        .param("flow", flow.id()).params(version != null ? Map.of("version", version) : Map.of())
        .query((rs, n) -> new ReleaseRow(rs.getString("id"), rs.getString("version"), rs.getString("definition"),
            rs.getString("flow_history_id")))
        .optional();
    if (release.isPresent()) {
      ReleaseRow r = release.get();
      return new Resolved(flow.id(), flow.slug(), flow.projectId(), r.id(), r.version(), r.historyId(),
          definition(r.definition()));
    }
    if (version != null) {
      throw refuse(ChildRunFailure.NOT_FOUND, "flow '" + flow.slug() + "' has no release '" + version + "'");
    }
    return new Resolved(flow.id(), flow.slug(), flow.projectId(), null, DRAFT, flow.historyId(),
        definition(flow.definition()));
  }

  private static String describe(FieldError e) {
    return (e.node() == null ? "" : e.node() + ".") + e.field() + " " + e.message();
  }

  private static ApplicationFailure refuse(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  private static FlowDefinition definition(String json) {
    return StoredJson.flow(json, ChildRunFailure.NOT_FOUND, "the flow's stored definition");
  }
}
