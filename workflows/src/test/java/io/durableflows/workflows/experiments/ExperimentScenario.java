package io.durableflows.workflows.experiments;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.evals.EvalActivities;
import io.durableflows.workflows.evals.EvalCall;
import io.durableflows.workflows.evals.EvalJobRequest;
import io.durableflows.workflows.evals.EvalJobWorkflowImpl;
import io.durableflows.workflows.evals.EvalResult;
import io.durableflows.workflows.evals.EvalStoreActivities;
import io.durableflows.workflows.evals.EvalSummary;
import io.durableflows.workflows.evals.EvaluatorKinds;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.FlowRunWorkflowImpl;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An experiment over the questions of {@link #QUESTIONS} with qa-raw as its release, on a test environment: the real
 * experiment, run and eval job workflows, with activities that stand in for PostgreSQL and the model. The model
 * echoes the prompt; a {@code contains} evaluation passes when the answer contains the row's expected text. Row
 * "bad input" cannot be prepared, and the model refuses the question "boom", so those two rows fail.
 */
final class ExperimentScenario implements AutoCloseable {
  static final String EXPERIMENT = "exp_test";
  static final List<String> QUESTIONS = List.of("capital of France is Paris", "bad input", "boom", "2+2=4",
      "capital of Spain");
  static final List<String> EXPECTED = List.of("Paris", "x", "y", "4", "Madrid");
  static final EvaluatorSpec CONTAINS =
      new EvaluatorSpec("evl_contains", "mentions the answer", EvaluatorKinds.CONTAINS, Map.of(), false);

  final Store store = new Store();
  final Model model = new Model();
  final RunStore runs = new RunStore();
  final TestWorkflowEnvironment env;

  ExperimentScenario() {
    // A fixed identity instead of pid@host keeps recorded histories free of machine details.
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setIdentity("history-recorder").build())
        .build());
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(ExperimentWorkflowImpl.class, FlowRunWorkflowImpl.class,
        EvalJobWorkflowImpl.class);
    worker.registerActivitiesImplementations(store, model, runs, new Contains(), new EvalStore());
    env.start();
  }

  static ExperimentRequest request(int concurrency, int rowsPerExecution) {
    return new ExperimentRequest(EXPERIMENT, "acme", "qa-raw", "1.0.0", QUESTIONS.size(), concurrency,
        List.of(CONTAINS), rowsPerExecution, 0);
  }

  String workflowId() {
    return ExperimentWorkflow.workflowId("acme", EXPERIMENT);
  }

  /** Starts the experiment and returns the run id of its first execution. */
  String start(ExperimentRequest request) {
    ExperimentWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ExperimentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId()).build());
    return WorkflowClient.start(workflow::run, request).getRunId();
  }

  void awaitEnd() {
    env.getWorkflowClient().newUntypedWorkflowStub(workflowId()).getResult(Void.class);
  }

  @Override
  public void close() {
    env.close();
  }

  /** The experiment's rows and statuses, as PostgreSQL would hold them. */
  static final class Store implements ExperimentActivities {
    /** The rows' questions: {@link #QUESTIONS} unless a test sets others. */
    volatile List<String> questions = QUESTIONS;
    final Map<Integer, RowOutcome> rows = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Integer> recorded = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> statuses = new ConcurrentLinkedQueue<>();

    @Override
    public PreparedRow prepareRow(String experimentId, int row) {
      String question = questions.get(row);
      if (question.equals("bad input")) {
        throw ApplicationFailure.newNonRetryableFailure("row 2 has no input object",
            ExperimentFailures.INVALID_ROW_INPUT);
      }
      RunRequest run = new RunRequest("run_row" + row, "acme", "qa-raw", "1.0.0", TestFlows.example("qa-raw"),
          Map.of("question", question, "tone", "plain"));
      return new PreparedRow(run, row < EXPECTED.size() ? EXPECTED.get(row) : null, "evj_row" + row);
    }

    @Override
    public void recordRow(RowOutcome outcome) {
      recorded.add(outcome.row());
      rows.put(outcome.row(), outcome);
    }

    @Override
    public void recordStatus(String experimentId, String status) {
      statuses.add(status);
    }
  }

  /**
   * Echoes the prompt, refuses "boom" as a revoked key would, waits for "hang" until its run is cancelled
   * (heartbeating, as the real activity does), and counts the calls in flight.
   */
  static final class Model implements LlmActivities {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    volatile boolean hanging;

    @Override
    public LlmReply complete(LlmCall call) {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        if (call.prompt().equals("hang")) {
          hanging = true;
          while (true) {
            Activity.getExecutionContext().heartbeat(null);
            Thread.sleep(50);
          }
        }
        Thread.sleep(20);
        if (call.prompt().equals("boom")) {
          throw ApplicationFailure.newNonRetryableFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH);
        }
        return new LlmReply("You asked: " + call.prompt(), "offline", "offline", "stop", new Usage(5, 4), 0, 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public LlmChatReply chat(LlmChatCall call) {
      throw new UnsupportedOperationException("qa-raw has no agent node");
    }
  }

  /** A contains evaluator: passes when the output contains the external input's {@code expected}. */
  static final class Contains implements EvalActivities {
    @Override
    public EvalResult evaluate(EvalCall call) {
      boolean passed = String.valueOf(call.output()).contains(String.valueOf(call.externalInput().get("expected")));
      return new EvalResult(call.evaluator().id(), call.evaluator().name(), call.evaluator().kind(),
          passed ? 1.0 : 0.0, passed, passed ? "contains it" : "does not contain it", Usage.ZERO, 0, 1, null);
    }
  }

  /** Keeps how each run ended. */
  static final class RunStore implements RunStoreActivities {
    final Map<String, String> outcomes = new ConcurrentHashMap<>();

    @Override
    public void recordOutcome(RunOutcome outcome) {
      outcomes.put(outcome.runId(), outcome.status());
    }

    @Override
    public void recordRequest(String runId, HumanRequest request) {}

    @Override
    public void recordResolution(String runId, HumanResolution resolution) {}

    @Override
    public RunRequest prepareChildRun(ChildRunSpec spec) {
      throw new UnsupportedOperationException("qa-raw starts no child run");
    }
  }

  static final class EvalStore implements EvalStoreActivities {
    @Override
    public void jobStarted(EvalJobRequest request) {}

    @Override
    public void recordResult(String jobId, int index, EvalResult result) {}

    @Override
    public void jobCompleted(String jobId, EvalSummary summary) {}

    @Override
    public RunRequest prepareEvalFlowRun(String childRunId, EvalCall call) {
      throw new UnsupportedOperationException("no flow evaluator here");
    }
  }
}
