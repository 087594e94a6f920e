package io.durableflows.workflows.completions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.Usage;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompletionWorkflowTest {
  private TestWorkflowEnvironment env;
  private final CompletionActivities activities = mock(CompletionActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(CompletionWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private CompletionResults complete(List<Object> items, int concurrency) {
    CompletionWorkflow workflow = env.getWorkflowClient().newWorkflowStub(CompletionWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS)
            .setWorkflowId(CompletionWorkflow.workflowId("acme", "summarize", "1")).build());
    return workflow.complete(new CompletionRequest("acme", CompletionOperations.SUMMARIZE, Map.of(), items, null,
        null, concurrency));
  }

  /** Each item's answer is the item in capitals; item "b" is refused by the provider. */
  static CompletionResult answer(CompletionCall call) {
    if (call.item().equals("b")) {
      throw ApplicationFailure.newNonRetryableFailure("provider 'stub' answered HTTP 400", LlmFailures.PROVIDER_REJECTED);
    }
    return new CompletionResult(((String) call.item()).toUpperCase(), null, null, new Usage(2, 1), 0.001, 3);
  }

  @Test
  void complete_withAnItemThatFailsForGood_keepsInputOrderAndMakesItThatItemsError() {
    when(activities.complete(any())).thenAnswer(inv -> answer(inv.getArgument(0)));

    CompletionResults results = complete(List.of("a", "b", "c", "d", "e"), 2);

    assertThat(results.results()).extracting(CompletionResult::output).containsExactly("A", null, "C", "D", "E");
    assertThat(results.results().get(1).error()).isEqualTo("provider_rejected");
    assertThat(results.results().get(1).message()).contains("HTTP 400");
  }

  @Test
  void complete_givesEachItemItsOwnStableKey() {
    when(activities.complete(any())).thenAnswer(inv -> {
      CompletionCall call = inv.getArgument(0);
      return new CompletionResult(call.key(), null, null, Usage.ZERO, 0, 0);
    });

    CompletionResults results = complete(List.of("a", "c"), 0);

    assertThat(results.results()).extracting(CompletionResult::output)
        .containsExactly("completions/acme/summarize/1/0", "completions/acme/summarize/1/1");
  }

  @Test
  void complete_retriesAnItemWhoseProviderWasUnavailable() {
    when(activities.complete(any()))
        .thenThrow(ApplicationFailure.newFailure("HTTP 429", LlmFailures.PROVIDER_UNAVAILABLE))
        .thenReturn(new CompletionResult("fine", null, null, Usage.ZERO, 0, 0));

    CompletionResults results = complete(List.of("a"), 0);

    assertThat(results.results().getFirst().output()).isEqualTo("fine");
    verify(activities, times(2)).complete(any());
  }
}
