package io.durableflows.workflows.evals;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.run.FlowRunWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvalJobWorkflowTest {
  private final EvalStubs.Store store = new EvalStubs.Store();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(EvalJobWorkflowImpl.class, FlowRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(new EvalStubs.Evaluator(), store, new EvalStubs.Judge(),
        new EvalStubs.RunStore());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private EvalJobResult run(String jobId, List<EvalSelection> selections) {
    return env.getWorkflowClient().newWorkflowStub(EvalJobWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(EvalJobWorkflow.workflowId("acme", jobId)).build())
        .run(EvalStubs.request(jobId, selections));
  }

  @Test
  void aFailingEvaluation_isRecordedWithItsError_andTheOthersComplete() {
    EvalJobResult result = run("evj_1", List.of(
        new EvalSelection(EvalStubs.EXACT, Map.of("expected", "4")),
        new EvalSelection(EvalStubs.BROKEN, null),
        new EvalSelection(EvalStubs.EXACT, Map.of("expected", "5"))));

    assertThat(result.results()).extracting(EvalResult::passed).containsExactly(true, null, false);
    assertThat(result.results().get(1).error()).startsWith(EvalFailures.INVALID_EVALUATOR + ": ");
    assertThat(result.summary().passed()).isEqualTo(1);
    assertThat(result.summary().failed()).isEqualTo(1);
    assertThat(result.summary().errored()).isEqualTo(1);
    assertThat(store.started).containsExactly("evj_1");
    assertThat(store.results).hasSize(3);
    assertThat(store.results.get(1).error()).isNotNull();
    assertThat(store.completed).containsExactly(result.summary());
  }

  @Test
  void aFlowEvaluator_runsItsFlowAsAChildRun_andReadsScoreAndReasonFromItsOutput() {
    EvalJobResult result = run("evj_2", List.of(new EvalSelection(EvalStubs.GRADER, Map.of("expected", "4"))));

    EvalResult grade = result.results().get(0);
    assertThat(grade.error()).isNull();
    assertThat(grade.score()).isEqualTo(0.75);
    assertThat(grade.passed()).isTrue();
    assertThat(grade.reason()).isEqualTo("Grade 4 against 4");
    assertThat(grade.usage().totalTokens()).isEqualTo(40);
    assertThat(grade.costUsd()).isEqualTo(0.0002);
  }

  @Test
  void aFlowEvaluator_passesByItsThreshold_whenItsOutputSaysNothingAboutPassing() {
    EvaluatorSpec strict = new EvaluatorSpec("evl_strict", "strict grader", EvaluatorKinds.FLOW,
        Map.of("flow", "grader", "pass_threshold", 0.9), false);

    EvalJobResult result = run("evj_3", List.of(new EvalSelection(strict, Map.of("expected", "4"))));

    assertThat(result.results().get(0).score()).isEqualTo(0.75);
    assertThat(result.results().get(0).passed()).isFalse();
    assertThat(result.summary().failed()).isEqualTo(1);
  }

  @Test
  void noEvaluations_completeAtOnceWithEmptyTotals() {
    EvalJobResult result = run("evj_4", List.of());

    assertThat(result.results()).isEmpty();
    assertThat(result.summary().scoreMean()).isNull();
    assertThat(store.completed).hasSize(1);
  }
}
