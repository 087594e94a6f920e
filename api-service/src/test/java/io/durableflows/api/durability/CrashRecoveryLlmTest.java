package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.RecordedRequest;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.PrintLogsOnFailure;
import io.durableflows.api.support.ProcessStack;
import io.durableflows.workflows.catalog.ModelCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workers SIGKILLed while a model call is in flight: Temporal notices the silent attempt by its heartbeat
 * timeout and retries it on the restarted workers, which ask the model again under the same idempotency key,
 * because the first attempt never got an answer to journal. The run records one call, counted once.
 */
class CrashRecoveryLlmTest {
  private static final String TOKEN = "df_crash_llm_test_token_0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private ProcessStack stack;

  @RegisterExtension
  final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> stack);

  @BeforeEach
  void start() throws Exception {
    stack = new ProcessStack("durableflows_crash_llm", "crashllm", TOKEN);
    stack.startApi();
    stack.startWorkers();
    stack.createStubFlow();
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  @Test
  void workersKilledDuringTheModelCall_retryAsksAgainUnderTheSameKey_andTheRunCountsOneCall() throws Exception {
    stack.stub.enqueue(
        Reply.success("lost with the first worker", 1000, 500).withDelay(Duration.ofMinutes(2)),
        Reply.success("answered after the crash", 1000, 500));
    String runId = stack.startRun("qa-stub", Map.of("question", "still there?"));
    String key = runId + "/answer/1";
    awaitModelRequests(1);

    stack.killWorkers();
    JsonNode meanwhile = stack.run(runId);
    assertThat(meanwhile.path("status").asText()).isEqualTo("running");
    assertThat(meanwhile.path("calls")).as("the killed attempt journaled no answer under " + key).isEmpty();

    stack.startWorkers();
    JsonNode run = stack.awaitEnd(runId, DEADLINE);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("answered after the crash");
    List<RecordedRequest> asked = stack.stub.requests();
    assertThat(asked).as("the model was asked once per attempt that reached it").hasSize(2);
    assertThat(asked.get(1).json()).as("the retry asked the same question").isEqualTo(asked.get(0).json());

    JsonNode calls = run.path("calls");
    assertThat(calls).as(calls.toString()).hasSize(1);
    JsonNode call = calls.get(0);
    assertThat(call.path("kind").asText()).isEqualTo("llm");
    assertThat(call.path("node").asText()).isEqualTo("answer");
    assertThat(call.path("idempotency_key").asText()).isEqualTo(key);
    assertThat(call.path("attempt").asInt()).as("the attempt that answered is a retry").isGreaterThan(1);

    List<Map<String, Object>> llmCalls = stack.query(
        "select node_id, attempt, idempotency_key, prompt_tokens, completion_tokens, cost_usd from llm_calls"
            + " where run_id = ?", runId);
    assertThat(llmCalls).as(llmCalls.toString()).hasSize(1);
    assertThat(llmCalls.get(0)).containsEntry("node_id", "answer").containsEntry("idempotency_key", key)
        .containsEntry("attempt", call.path("attempt").asInt())
        .containsEntry("prompt_tokens", 1000L).containsEntry("completion_tokens", 500L);

    double oneCall = ModelCatalog.cost("openai", "gpt-4o-mini", 1000, 500);
    assertThat(oneCall).isPositive();
    assertThat(run.path("usage").path("prompt_tokens").asLong()).isEqualTo(1000);
    assertThat(run.path("usage").path("completion_tokens").asLong()).isEqualTo(500);
    assertThat(run.path("cost_usd").asDouble()).isCloseTo(oneCall, within(1e-9));
    assertThat(((Number) llmCalls.get(0).get("cost_usd")).doubleValue()).isCloseTo(oneCall, within(1e-9));
  }

  private void awaitModelRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (stack.stub.requests().size() < n) {
      if (System.nanoTime() > deadline) throw new AssertionError("the model was not asked within " + DEADLINE);
      Thread.sleep(50);
    }
  }
}
