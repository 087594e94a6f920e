package io.durableflows.activities.completions;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.ProviderSettings;
import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionRequest;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.completions.CompletionWorkflow;
import io.durableflows.workflows.completions.CompletionWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Complete activity under Temporal's retry policy ({@code ActivityPolicies.COMPLETION}) against the OpenAI
 * stub: a rate-limited attempt is retried, a refused one is not.
 */
class CompletionActivitiesRetryTest {
  private final OpenAiStubServer stub = OpenAiStubServer.start();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(CompletionWorkflowImpl.class);
    worker.registerActivitiesImplementations(new CompletionActivitiesImpl(new CompletionRunner(new ModelProviders(
        List.of(new ProviderSettings("stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini",
            Duration.ofSeconds(5))), "stub"))));
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    stub.close();
  }

  private CompletionResult summarize(String text) {
    return env.getWorkflowClient().newWorkflowStub(CompletionWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(CompletionWorkflow.workflowId("acme", "summarize", "1"))
            .build())
        .complete(new CompletionRequest("acme", CompletionOperations.SUMMARIZE, Map.of(), List.of(text), null, null,
            0))
        .results().getFirst();
  }

  @Test
  void rateLimitedThenAnswered_isRetriedAndSucceeds() {
    stub.enqueue(Reply.rateLimited(1), Reply.success("A short summary."));

    CompletionResult result = summarize("A long text.");

    assertThat(result.output()).isEqualTo("A short summary.");
    assertThat(stub.requests()).hasSize(2);
  }

  @Test
  void refusedWith400_isNotRetriedAndBecomesTheItemsError() {
    stub.enqueue(Reply.error(400));

    CompletionResult result = summarize("A long text.");

    assertThat(result.error()).isEqualTo("provider_rejected");
    assertThat(stub.requests()).hasSize(1);
  }
}
