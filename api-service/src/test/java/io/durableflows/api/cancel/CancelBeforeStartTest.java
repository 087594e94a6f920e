package io.durableflows.api.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A cancel that arrives after a run is recorded but before its workflow is started finds no workflow: the run must
 * still end cancelled, its workflow must not run to completion behind the cancel's back, and the request that
 * started it hears that it was cancelled. Starts are held at a gate here so the cancel always falls in that gap.
 */
class CancelBeforeStartTest extends RunApiTest {
  @MockitoSpyBean
  TemporalGateway temporal;

  private final CountDownLatch starts = new CountDownLatch(1);

  @BeforeEach
  void holdWorkflowStarts() {
    doAnswer(call -> {
      starts.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      return call.callRealMethod();
    }).when(temporal).start(anyString(), any());
  }

  @AfterEach
  void releaseWorkflowStarts() {
    starts.countDown();
  }

  /**
   * A flow whose model answers after a few seconds, so a workflow that is started despite the cancel would still be
   * running (and visibly complete later) rather than racing its own end.
   */
  private void slowFlow(TestOrg org) {
    createStubFlow(org, "qa-stub", "raw");
    stub.enqueue(Reply.success("Should never be seen.").withDelay(Duration.ofSeconds(3)));
  }

  /** The org's one active run, once the request that records it has done so. */
  private JsonNode awaitRecordedRun(TestOrg org) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode calls = http.get("/api/v1/cancel/active-calls", org.token()).json().path("data");
      if (calls.size() > 0) return run(org, calls.get(0).path("run_id").asText());
      Thread.sleep(20);
    }
    throw new AssertionError("no run was recorded");
  }

  /** The workflow's status once it has closed. */
  private WorkflowExecutionStatus closed(String workflowId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    WorkflowExecutionStatus status = null;
    while (System.nanoTime() < deadline) {
      status = temporal.status(workflowId).orElse(null);
      if (status != null && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) return status;
      Thread.sleep(50);
    }
    throw new AssertionError("workflow " + workflowId + " did not close; last status " + status);
  }

  @Test
  void cancel_ofASyncRunNotYetStarted_endsItCancelledAndItsWorkflowDoesNotRun() throws Exception {
    TestOrg org = newOrg();
    slowFlow(org);
    CompletableFuture<Http.Response> sync = CompletableFuture.supplyAsync(
        () -> http.post(flowPath(org, "qa-stub") + "/run", org.token(), input("question", "hi")));
    JsonNode recorded = awaitRecordedRun(org);
    String runId = recorded.path("id").asText();

    Http.Response cancel = http.post("/api/v1/cancel/" + runId, org.token(), "");
    starts.countDown();

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
    Http.Response r = sync.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().path("error").asText()).isEqualTo("cancelled");
    assertThat(r.json().path("run_id").asText()).isEqualTo(runId);
    assertThat(closed(recorded.path("workflow_id").asText()))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    assertThat(run(org, runId).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void cancelAll_ofAnAsyncRunNotYetStarted_endsItCancelledAndItsWorkflowDoesNotRun() throws Exception {
    TestOrg org = newOrg();
    slowFlow(org);
    CompletableFuture<Http.Response> async = CompletableFuture.supplyAsync(
        () -> http.post(flowPath(org, "qa-stub") + "/run", org.token(), input("question", "hi"), ASYNC));
    JsonNode recorded = awaitRecordedRun(org);
    String runId = recorded.path("id").asText();

    Http.Response all = http.post("/api/v1/cancel/all", org.token(), "");
    starts.countDown();

    assertThat(all.status()).as(all.body()).isEqualTo(200);
    assertThat(all.json().path("cancelled")).extracting(JsonNode::asText).containsExactly(runId);
    Http.Response accepted = async.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().path("run_id").asText()).isEqualTo(runId);
    assertThat(closed(recorded.path("workflow_id").asText()))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    assertThat(run(org, runId).path("status").asText()).isEqualTo("cancelled");
  }
}
