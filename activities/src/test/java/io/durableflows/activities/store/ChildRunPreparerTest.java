package io.durableflows.activities.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.support.TestDatabase;
import io.durableflows.workflows.run.ChildRunFailure;
import io.durableflows.workflows.run.ChildRuns;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code PrepareChildRun} against the real schema: resolution, input check, the child's row, idempotency. */
class ChildRunPreparerTest {
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  private final JdbcRunStoreActivities store = new JdbcRunStoreActivities(TestDatabase.dataSource());
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String org = "org_" + suffix;
  private final String parentRun = "run_parent_" + suffix;

  private static String echo(String text) {
    return """
        {"slug": "echo", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "text", "type": "string", "required": true}]}},
          {"id": "t", "type": "template", "data": {"template": "%s{{input.text}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}, "position": {"x": 1, "y": 2}, "selected": true}
        ], "edges": [{"id": "e1", "source": "input", "target": "t"}, {"id": "e2", "source": "t", "target": "output"}]}
        """.formatted(text);
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("insert into organizations (id, org_code, name) values (:id, :code, 'Test')")
        .param("id", org).param("code", "c" + suffix).update();
    jdbc.sql("insert into projects (id, org_id, slug, name) values (:id, :org, 'default', 'Default')")
        .param("id", "prj_" + suffix).param("org", org).update();
    jdbc.sql("""
            insert into flows (id, org_id, project_id, slug, definition, draft_history_id)
            values (:id, :org, :project, 'echo', cast(:def as json), 'h-draft')""")
        .param("id", "flw_" + suffix).param("org", org).param("project", "prj_" + suffix).param("def", echo("draft: "))
        .update();
    release("1.0.0", 1, "v1: ");
    release("2.0.0", 2, "v2: ");
    insertRun(parentRun, null);
  }

  private void release(String version, int seq, String prefix) {
    jdbc.sql("""
            insert into flow_releases (id, flow_id, org_id, version, seq, definition, flow_history_id)
            values (:id, :flow, :org, :version, :seq, cast(:def as json), :history)""")
        .param("id", "rel_" + suffix + "_" + seq).param("flow", "flw_" + suffix).param("org", org)
        .param("version", version).param("seq", seq).param("def", echo(prefix)).param("history", "h-" + version)
        .update();
  }

  private void insertRun(String id, String parent) {
    jdbc.sql("""
            insert into runs (id, org_id, flow_id, flow_slug, channel, status, input, workflow_id, parent_run_id)
            values (:id, :org, 'flw_x', 'parent', 'api', 'running', '{}', :wf, :parent)""")
        .param("id", id).param("org", org).param("wf", "wf-" + id).param("parent", parent).update();
  }

  private ChildRunSpec spec(String childRunId, String version, Map<String, Object> input) {
    return new ChildRunSpec(parentRun, childRunId, "sub", "echo", version, input, ChildRunSpec.SUBFLOW);
  }

  private static String templateOf(RunRequest request) {
    return (String) request.flow().node("t").data().get("template");
  }

  @Test
  void prepare_resolvesTheLatestReleaseAndRecordsTheChildRun() {
    String child = ChildRuns.childRunId(parentRun, "sub", 1);

    RunRequest request = store.prepareChildRun(spec(child, null, Map.of("text", "hi")));

    assertThat(request.runId()).isEqualTo(child);
    assertThat(request.orgCode()).isEqualTo("c" + suffix);
    assertThat(request.flowSlug()).isEqualTo("echo");
    assertThat(request.version()).isEqualTo("2.0.0");
    assertThat(templateOf(request)).isEqualTo("v2: {{input.text}}");
    var row = jdbc.sql("select status, channel, parent_run_id, parent_node_id, workflow_id, release_id from runs where id = :id")
        .param("id", child).query().singleRow();
    assertThat(row).containsEntry("status", "running").containsEntry("channel", "subflow")
        .containsEntry("parent_run_id", parentRun).containsEntry("parent_node_id", "sub")
        .containsEntry("workflow_id", "run/c" + suffix + "/echo/" + child)
        .containsEntry("release_id", "rel_" + suffix + "_2");
  }

  @Test
  void prepare_retried_returnsTheSameRequestAndOneRow() {
    String child = ChildRuns.childRunId(parentRun, "sub", 1);
    RunRequest first = store.prepareChildRun(spec(child, null, Map.of("text", "hi")));
    release("3.0.0", 3, "v3: ");

    RunRequest again = store.prepareChildRun(spec(child, null, Map.of("text", "hi")));

    assertThat(again).isEqualTo(first);
    assertThat(jdbc.sql("select count(*) from runs where id = :id").param("id", child).query(Long.class).single())
        .isEqualTo(1);
  }

  @Test
  void prepare_withAPinnedVersion_takesThatRelease() {
    RunRequest request = store.prepareChildRun(spec("run_c1_" + suffix, "1.0.0", Map.of("text", "hi")));

    assertThat(request.version()).isEqualTo("1.0.0");
    assertThat(templateOf(request)).isEqualTo("v1: {{input.text}}");
  }

  @Test
  void prepare_withAnUnknownFlowOrRelease_refusesWithNotFound() {
    var noRelease = catchThrowableOfType(ApplicationFailure.class,
        () -> store.prepareChildRun(spec("run_c2_" + suffix, "9.9", Map.of("text", "hi"))));
    var noFlow = catchThrowableOfType(ApplicationFailure.class, () -> store.prepareChildRun(
        new ChildRunSpec(parentRun, "run_c3_" + suffix, "sub", "nope", null, Map.of(), ChildRunSpec.SUBFLOW)));

    assertThat(noRelease.getType()).isEqualTo(ChildRunFailure.NOT_FOUND);
    assertThat(noRelease.isNonRetryable()).isTrue();
    assertThat(noFlow.getType()).isEqualTo(ChildRunFailure.NOT_FOUND);
    assertThat(noFlow.getOriginalMessage()).contains("nope");
  }

  @Test
  void prepare_withInputNotMatchingTheSchema_refusesNamingTheFieldAndRecordsNothing() {
    var failure = catchThrowableOfType(ApplicationFailure.class,
        () -> store.prepareChildRun(spec("run_c4_" + suffix, null, Map.of("txt", "hi"))));

    assertThat(failure.getType()).isEqualTo(ChildRunFailure.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("input.text", "input.txt");
    assertThat(jdbc.sql("select count(*) from runs where id = :id").param("id", "run_c4_" + suffix)
        .query(Long.class).single()).isZero();
  }

  @Test
  void prepare_beyondTheNestingLimit_refusesWithTooDeep() {
    String parent = parentRun;
    for (int depth = 1; depth <= ChildRuns.MAX_DEPTH; depth++) {
      String id = "run_d" + depth + "_" + suffix;
      insertRun(id, parent);
      parent = id;
    }
    String deepest = parent;

    var failure = catchThrowableOfType(ApplicationFailure.class, () -> store.prepareChildRun(
        new ChildRunSpec(deepest, "run_c5_" + suffix, "sub", "echo", null, Map.of("text", "x"), ChildRunSpec.SUBFLOW)));

    assertThat(failure.getType()).isEqualTo(ChildRunFailure.TOO_DEEP);
  }
}
