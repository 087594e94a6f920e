package io.durableflows.activities.experiments;

import io.durableflows.activities.store.RunRows;
import io.durableflows.activities.store.StoredJson;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.experiments.ExperimentActivities;
import io.durableflows.workflows.experiments.ExperimentFailures;
import io.durableflows.workflows.experiments.PreparedRow;
import io.durableflows.workflows.experiments.RowOutcome;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InvalidFlowException;
import io.durableflows.workflows.run.RunRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An experiment's rows in PostgreSQL. A dataset is a file of purpose {@code dataset}: a JSON row's
 * {@code input} and {@code expected}, or a CSV row's {@code expected} column and the other columns as the input.
 * Each row's run is recorded as the API records a run (channel {@code experiment}, metadata naming the experiment
 * and the row), under an id derived from the experiment and the row, so a retried prepare finds the same run.
 */
public class JdbcExperimentActivities implements ExperimentActivities {
  private static final String CHANNEL = "experiment";
  /** A dataset row as the flow takes it, from either format. */
  static final String ROW = """
      select case when f.format = 'csv' then r.data - 'expected' else r.data -> 'input' end as input,
        r.data -> 'expected' as expected
      from file_rows r join files f on f.id = r.file_id
      where r.file_id = :dataset and r.idx = :row""";
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JdbcExperimentActivities(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  private record Experiment(String orgId, String orgCode, String projectId, String flowId, String flowSlug,
      String releaseId, String version, String datasetId) {}

  private record Row(String input, String expected) {}

  /** The run id of an experiment's row: the same for every attempt and replay. */
  static String runId(String experimentId, int row) {
    return "run_" + digest(experimentId + "/row/" + row);
  }

  /** The id of the eval job of an experiment's row, derived the same way. */
  static String evalJobId(String experimentId, int row) {
    return "evj_" + digest(experimentId + "/row/" + row + "/eval");
  }

  private static String digest(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public PreparedRow prepareRow(String experimentId, int row) {
    return tx.execute(status -> {
      Experiment experiment = experiment(experimentId);
      record Release(String definition, String historyId) {}
      Release release = jdbc.sql("select definition, flow_history_id from flow_releases where id = :id")
          .param("id", experiment.releaseId())
          .query((rs, n) -> new Release(rs.getString("definition"), rs.getString("flow_history_id")))
          .optional()
          .orElseThrow(() -> refuse(ExperimentFailures.NOT_FOUND, "release '" + experiment.version() + "' of flow '"
              + experiment.flowSlug() + "' no longer exists"));
      Row data = row(experiment.datasetId(), row);
      Object expected = StoredJson.read(data.expected());
      FlowDefinition flow = StoredJson.flow(release.definition(), ExperimentFailures.NOT_FOUND,
          "the release's stored definition");
      String runId = runId(experimentId, row);
      String recorded = jdbc.sql("select input from runs where id = :id").param("id", runId)
          .query(String.class).optional().orElse(null);
      if (recorded != null) {
        return new PreparedRow(request(experiment, runId, flow, StoredJson.readMap(recorded)), expected,
            evalJobId(experimentId, row));
      }
      Object rawInput = StoredJson.read(data.input());
      if (!(rawInput instanceof Map<?, ?>)) {
        throw refuse(ExperimentFailures.INVALID_ROW_INPUT, "row " + (row + 1) + " has no input object");
      }
      Map<String, Object> input;
      try {
        input = InputSchema.of(flow).validate(StoredJson.readMap(data.input()));
      } catch (InvalidFlowException e) {
        throw refuse(ExperimentFailures.INVALID_ROW_INPUT, "row " + (row + 1) + "'s input does not match the input"
            + " schema of flow '" + experiment.flowSlug() + "': " + e.errors().stream()
                .map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; ")));
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("experiment_id", experimentId);
      metadata.put("row", row);
      RunRows.insertIfAbsent(jdbc, new RunRows.NewRun(runId, experiment.orgId(), experiment.orgCode(),
          experiment.projectId(), experiment.flowId(), experiment.flowSlug(), experiment.releaseId(),
          experiment.version(), release.historyId(), CHANNEL, input, metadata, null, null));
      return new PreparedRow(request(experiment, runId, flow, input), expected, evalJobId(experimentId, row));
    });
  }

  @Override
  public void recordRow(RowOutcome outcome) {
    tx.executeWithoutResult(status -> {
      Experiment experiment = experiment(outcome.experimentId());
      Row data = jdbc.sql(ROW).param("dataset", experiment.datasetId()).param("row", outcome.row())
          .query((rs, n) -> new Row(rs.getString("input"), rs.getString("expected"))).optional()
          .orElse(new Row(null, null));
      List<EvalResult> evaluations = outcome.evaluations();
      Double score = evaluations.stream().map(EvalResult::score).filter(Objects::nonNull)
          .mapToDouble(Double::doubleValue).average().stream().boxed().findFirst().orElse(null);
      Boolean passed = !RowOutcome.COMPLETED.equals(outcome.status()) ? Boolean.FALSE
          : evaluations.isEmpty() ? null
          : evaluations.stream().allMatch(e -> e.error() == null && Boolean.TRUE.equals(e.passed()));
      long evalTokens = evaluations.stream().mapToLong(e -> e.usage() == null ? 0 : e.usage().totalTokens()).sum();
      double evalCost = evaluations.stream().mapToDouble(EvalResult::costUsd).sum();
      jdbc.sql("""
              insert into experiment_rows (experiment_id, row_index, run_id, status, input, expected, output,
                latency_ms, prompt_tokens, completion_tokens, cost_usd, eval_tokens, eval_cost_usd, score, passed,
                evaluations, error_type, error_message)
              select :experiment, :row, :run, :status, cast(:input as json), cast(:expected as json), r.output,
                r.duration_ms, coalesce(r.prompt_tokens, 0), coalesce(r.completion_tokens, 0),
                coalesce(r.cost_usd, 0), :evalTokens, :evalCost, :score, :passed, cast(:evaluations as jsonb),
                :errorType, :error
              from (select 1) one left join runs r on r.id = :run
              on conflict (experiment_id, row_index) do nothing""")
          .param("experiment", outcome.experimentId()).param("row", outcome.row()).param("run", outcome.runId())
          .param("status", outcome.status()).param("input", data.input()).param("expected", data.expected())
          .param("evalTokens", evalTokens).param("evalCost", evalCost).param("score", score)
          .param("passed", passed).param("evaluations", evaluations == null ? null : StoredJson.write(evaluations))
          .param("errorType", outcome.errorType()).param("error", outcome.error())
          .update();
    });
  }

  @Override
  public void recordStatus(String experimentId, String status) {
    jdbc.sql("""
            update experiments set status = :status, finished_at = coalesce(finished_at, now())
            where id = :id and status = 'running'""")
        .param("status", status).param("id", experimentId).update();
  }

  private Experiment experiment(String experimentId) {
    return jdbc.sql("""
            select e.org_id, o.org_code, e.project_id, e.flow_id, e.flow_slug, e.release_id, e.version, e.dataset_id
            from experiments e join organizations o on o.id = e.org_id where e.id = :id""")
        .param("id", experimentId)
        .query((rs, n) -> new Experiment(rs.getString("org_id"), rs.getString("org_code"),
            rs.getString("project_id"), rs.getString("flow_id"), rs.getString("flow_slug"),
            rs.getString("release_id"), rs.getString("version"), rs.getString("dataset_id")))
        .optional()
        .orElseThrow(() -> refuse(ExperimentFailures.NOT_FOUND, "experiment '" + experimentId + "' no longer exists"));
  }

  private Row row(String datasetId, int row) {
    return jdbc.sql(ROW).param("dataset", datasetId).param("row", row)
        .query((rs, n) -> new Row(rs.getString("input"), rs.getString("expected")))
        .optional()
        .orElseThrow(() -> refuse(ExperimentFailures.NOT_FOUND, "row " + (row + 1) + " of dataset '" + datasetId
            + "' no longer exists"));
  }

  private static RunRequest request(Experiment experiment, String runId, FlowDefinition flow,
      Map<String, Object> input) {
    return new RunRequest(runId, experiment.orgCode(), experiment.flowSlug(), experiment.version(), flow, input);
  }

  private static ApplicationFailure refuse(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }
}
