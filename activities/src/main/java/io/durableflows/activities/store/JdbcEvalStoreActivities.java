package io.durableflows.activities.store;

import io.durableflows.activities.evals.EvalValues;
import io.durableflows.workflows.evals.EvalCall;
import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalJobWorkflow;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvalStoreActivities;
import io.durableflows.workflows.evals.EvalSummary;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InputVariable;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.ChildRunFailure;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An eval job's rows: the job ({@code eval_jobs}), created here when no caller wrote it first, and one
 * {@code eval_results} row per evaluation. Every write is an idempotent upsert, so a retried local activity changes
 * nothing twice. Evaluation flows are prepared as child runs of the evaluated run, as sub-flows are.
 */
public class JdbcEvalStoreActivities implements EvalStoreActivities {
  /** The channel of an evaluation flow's run. */
  public static final String EVAL_CHANNEL = "eval";
  private final JdbcClient jdbc;
  private final ChildRunPreparer children;

  public JdbcEvalStoreActivities(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.children = new ChildRunPreparer(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
  }

  @Override
  public void jobStarted(EvalJobRequest request) {
    jdbc.sql("""
            insert into eval_jobs (id, org_id, run_id, flow_slug, status, selection, workflow_id, started_at)
            select :id, o.id, :run, :flow, 'running', cast(:selection as json), :workflow, clock_timestamp()
            from organizations o where o.org_code = :org
            on conflict (id) do update set
              status = case when eval_jobs.status = 'pending' then 'running' else eval_jobs.status end,
              started_at = coalesce(eval_jobs.started_at, clock_timestamp())""")
        .param("id", request.jobId()).param("run", request.runId()).param("flow", request.flowSlug())
        .param("selection", StoredJson.write(request.evaluations()))
        .param("workflow", EvalJobWorkflow.workflowId(request.orgCode(), request.jobId()))
        .param("org", request.orgCode())
        .update();
  }

  @Override
  public void recordResult(String jobId, int index, EvalResult r) {
    Usage usage = r.usage() == null ? Usage.ZERO : r.usage();
    jdbc.sql("""
            insert into eval_results (job_id, idx, evaluator_id, name, kind, score, passed, reason, prompt_tokens,
              completion_tokens, cost_usd, duration_ms, error)
            values (:job, :idx, :evaluator, :name, :kind, :score, :passed, :reason, :prompt, :completion, :cost,
              :duration, :error)
            on conflict (job_id, idx) do update set score = excluded.score, passed = excluded.passed,
              reason = excluded.reason, prompt_tokens = excluded.prompt_tokens,
              completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd,
              duration_ms = excluded.duration_ms, error = excluded.error""")
        .param("job", jobId).param("idx", index).param("evaluator", r.evaluatorId()).param("name", r.name())
        .param("kind", r.kind()).param("score", r.score()).param("passed", r.passed()).param("reason", r.reason())
        .param("prompt", usage.promptTokens()).param("completion", usage.completionTokens())
        .param("cost", r.costUsd()).param("duration", r.durationMs()).param("error", r.error())
        .update();
  }

  @Override
  public void jobCompleted(String jobId, EvalSummary s) {
    Usage usage = s.usage() == null ? Usage.ZERO : s.usage();
    jdbc.sql("""
            update eval_jobs set status = 'completed', passed = :passed, failed = :failed, errored = :errored,
              score_mean = :mean, prompt_tokens = :prompt, completion_tokens = :completion, cost_usd = :cost,
              finished_at = coalesce(finished_at, clock_timestamp())
            where id = :id""")
        .param("passed", s.passed()).param("failed", s.failed()).param("errored", s.errored())
        .param("mean", s.scoreMean()).param("prompt", usage.promptTokens())
        .param("completion", usage.completionTokens()).param("cost", s.costUsd()).param("id", jobId)
        .update();
  }

  @Override
  public RunRequest prepareEvalFlowRun(String childRunId, EvalCall call) {
    Map<String, Object> config = call.evaluator().config();
    String flow = (String) config.get("flow");
    String version = (String) config.get("version");
    FlowDefinition definition = definition(call.orgCode(), flow, version);
    Map<String, Object> input = new LinkedHashMap<>();
    Map<String, Object> external = call.externalInput() == null ? Map.of() : call.externalInput();
    for (InputVariable v : InputSchema.of(definition).variables()) {
      Object value = switch (v.name()) {
        case "output" -> EvalValues.evaluated(call.output(), null);
        case "input" -> call.input();
        default -> external.containsKey(v.name()) ? external.get(v.name())
            : call.input() == null ? null : call.input().get(v.name());
      };
      if (value == null) continue;
      input.put(v.name(), "string".equals(v.type()) ? EvalValues.text(value) : value);
    }
    return children.prepare(new ChildRunSpec(call.runId(), childRunId, "eval:" + call.evaluator().id(), flow, version,
        input, EVAL_CHANNEL));
  }

  /** The definition the child will run (the release asked for, else the latest, else the draft). */
  private FlowDefinition definition(String orgCode, String flow, String version) {
    String json = jdbc.sql("""
            select coalesce(
              (select r.definition::text from flow_releases r where r.flow_id = f.id
                 and (cast(:version as text) is null or r.version = :version) order by r.seq desc limit 1),
              case when cast(:version as text) is null then f.definition::text end)
            from flows f join organizations o on o.id = f.org_id
            where o.org_code = :org and (f.slug = :flow or f.id = :flow)
            order by (f.id = :flow) desc limit 1""")
        .param("org", orgCode).param("flow", flow).param("version", version)
        .query(String.class).optional().orElse(null);
    if (json == null) {
      throw ApplicationFailure.newNonRetryableFailure("no evaluation flow '" + flow + "'"
          + (version == null ? "" : " release '" + version + "'") + " in this organization", ChildRunFailure.NOT_FOUND);
    }
    return StoredJson.flow(json, ChildRunFailure.NOT_FOUND, "the evaluation flow's definition");
  }
}
