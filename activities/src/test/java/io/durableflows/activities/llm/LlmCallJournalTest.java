package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.journal.JdbcCallJournal;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.support.TestDatabase;
import io.durableflows.activities.llm.OpenAiStubServer.ToolCallReply;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.ToolFunction;
import java.util.Map;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The model call journal with Temporal's real retries: an attempt whose answer arrives after Temporal gave up on
 * it (the worker was too slow to report, or died right after the answer) leaves the answer in the journal, and the
 * retry returns it instead of asking the model again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LlmCallJournalTest {
  private static final String QUEUE = "llm-journal-test";
  private OpenAiStubServer stub;
  private TestWorkflowEnvironment env;

  /** One model call with a short start-to-close and a retry that comes after the slow attempt has answered. */
  @WorkflowInterface
  public interface OneCall {
    @WorkflowMethod
    LlmReply call(LlmCall call);
  }

  public static class OneCallImpl implements OneCall {
    @Override
    public LlmReply call(LlmCall call) {
      return Workflow.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(1))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(3))
              .setMaximumAttempts(2).build())
          .build()).complete(call);
    }
  }

  /** The same for an agent's turn. */
  @WorkflowInterface
  public interface OneTurn {
    @WorkflowMethod
    LlmChatReply turn(LlmChatCall call);
  }

  public static class OneTurnImpl implements OneTurn {
    @Override
    public LlmChatReply turn(LlmChatCall call) {
      return Workflow.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(1))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(3))
              .setMaximumAttempts(2).build())
          .build()).chat(call);
    }
  }

  @BeforeEach
  void setUp() {
    stub = OpenAiStubServer.start();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(OneCallImpl.class, OneTurnImpl.class);
    var settings = new ProviderSettings("stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini",
        Duration.ofSeconds(10));
    worker.registerActivitiesImplementations(new LlmActivitiesImpl(
        new ModelProviders(List.of(settings), "stub", Duration.ZERO), (workflowId, batch) -> {},
        StreamSettings.DEFAULT, new JdbcCallJournal(TestDatabase.dataSource())));
    env.start();
    // Calls that load the client's code first: a cold start on a busy machine must not eat the one-second
    // budget of the attempts under test.
    stub.enqueue(Reply.success("warm"), Reply.success("warm"));
    try {
      run(null);
      turn(null);
    } catch (WorkflowFailedException slowEvenWarm) {
      // Warm enough: the tests below assert on their own calls only.
    }
    stub.reset();
  }

  @AfterEach
  void tearDown() {
    env.close();
    stub.close();
  }

  private LlmReply run(String key) {
    OneCall workflow = env.getWorkflowClient().newWorkflowStub(OneCall.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("journal-" + UUID.randomUUID()).build());
    return workflow.call(new LlmCall("run-j", "answer", "stub", null, null, "hello", null, null, false, key));
  }

  @Test
  void retry_afterAnAttemptAnsweredTooLate_returnsTheJournaledAnswerWithoutAskingAgain() {
    stub.enqueue(Reply.success("answered late").withDelay(Duration.ofMillis(1500)),
        Reply.success("asked twice"));

    LlmReply reply = run("run-j/answer/" + UUID.randomUUID());

    assertThat(reply.text()).isEqualTo("answered late");
    assertThat(reply.recorded()).isTrue();
    assertThat(reply.attempt()).isEqualTo(1);
    assertThat(stub.requests()).hasSize(1);
  }

  private LlmChatReply turn(String key) {
    OneTurn workflow = env.getWorkflowClient().newWorkflowStub(OneTurn.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("journal-" + UUID.randomUUID()).build());
    return workflow.turn(new LlmChatCall("run-j", "agent", "stub", null,
        List.of(ChatMessage.user("What is 6*7?")), List.of(new ToolFunction("calculator", "Calculates",
            Map.of("type", "object", "properties", Map.of("expression", Map.of("type", "string"))))),
        null, null, false, key));
  }

  @Test
  void turnRetry_afterAnAttemptAnsweredTooLate_returnsTheJournaledToolCalls() {
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_1", "calculator", "{\"expression\":\"6*7\"}"))
        .withDelay(Duration.ofMillis(1500)), Reply.success("asked twice"));

    LlmChatReply reply = turn("run-j/agent/turn-1/" + UUID.randomUUID());

    assertThat(reply.toolCalls()).containsExactly(
        new ChatMessage.ToolRequest("call_1", "calculator", "{\"expression\":\"6*7\"}"));
    assertThat(reply.reply().recorded()).isTrue();
    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void call_withoutIdempotencyKey_asksTheModelOnEveryAttempt() {
    stub.enqueue(Reply.success("answered late").withDelay(Duration.ofMillis(1500)),
        Reply.success("asked again"));

    LlmReply reply = run(null);

    assertThat(reply.text()).isEqualTo("asked again");
    assertThat(reply.recorded()).isFalse();
    assertThat(stub.requests()).hasSize(2);
  }
}
