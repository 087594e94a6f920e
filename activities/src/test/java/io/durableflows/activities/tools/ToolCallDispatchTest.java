package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.journal.JdbcCallJournal;
import io.durableflows.activities.secrets.JdbcSecrets;
import io.durableflows.activities.secrets.SecretsCipher;
import io.durableflows.activities.support.TestDatabase;
import io.durableflows.activities.tools.http.AddressGuard;
import io.durableflows.activities.tools.http.HostRules;
import io.durableflows.activities.tools.http.HttpToolExecutor;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolDryRunActivities;
import io.durableflows.workflows.tools.ToolDryRunRequest;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.durableflows.workflows.run.ActivityPolicies;
import io.temporal.client.WorkflowOptions;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ToolCall activity dispatching on the call's definition, with secrets and the journal in PostgreSQL. */
class ToolCallDispatchTest {
  private static final String SECRET = "sk-dispatch-secret-42";
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  private final SecretsCipher cipher = new SecretsCipher(Base64.getDecoder().decode(
      Base64.getEncoder().encodeToString(new byte[32])));
  private final String org = "org_" + UUID.randomUUID();
  private final String runId = "run_" + UUID.randomUUID();
  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;
  private final CountDownLatch slowRequests = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean slowAnswered = new AtomicBoolean();
  private TestActivityEnvironment env;
  private ToolActivities tools;
  private ToolDryRunActivities dryRuns;
  private BuiltInToolActivities impl;

  @BeforeEach
  void setUp() throws Exception {
    jdbc.sql("insert into organizations (id, org_code, name) values (?, ?, ?)").params(org, org, "t").update();
    jdbc.sql("""
            insert into runs (id, org_id, flow_id, flow_slug, channel, status, input, workflow_id)
            values (?, ?, 'flw_1', 'f', 'api', 'running', '{}', ?)""").params(runId, org, "run/" + runId).update();
    jdbc.sql("insert into secrets (org_id, name, ciphertext) values (?, 'API_KEY', ?)")
        .params(org, cipher.encrypt(org, "API_KEY", SECRET)).update();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/flaky", ex -> {
      boolean fail = calls.incrementAndGet() == 1;
      byte[] body = (fail ? "overloaded" : "{\"auth\":\"" + ex.getRequestHeaders().getFirst("X-Key") + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", fail ? "text/plain" : "application/json");
      ex.sendResponseHeaders(fail ? 503 : 200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/slow", ex -> {
      slowRequests.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
        slowAnswered.set(true);
        ex.sendResponseHeaders(200, -1);
      } catch (InterruptedException | IOException e) {
        // The caller went away: what the cancellation test expects.
      } finally {
        ex.close();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    JdbcSecrets secrets = new JdbcSecrets(TestDatabase.dataSource(), cipher);
    impl = new BuiltInToolActivities(new JdbcCallJournal(TestDatabase.dataSource()),
        new HttpToolExecutor(secrets, HostRules.NONE, new AddressGuard()), secrets);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(impl);
    ActivityOptions options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(10)).setMaximumAttempts(3)
            .setDoNotRetry(ToolFailures.NON_RETRYABLE.toArray(String[]::new)).build())
        .build();
    tools = env.newActivityStub(ToolActivities.class, options);
    dryRuns = env.newActivityStub(ToolDryRunActivities.class, options);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    env.close();
    server.stop(0);
  }

  private ToolDefinition httpTool(String url) {
    return new ToolDefinition("flaky", "A flaky API", ToolDefinition.HTTP,
        Map.of("type", "object", "required", List.of("q"), "properties", Map.of("q", Map.of("type", "string"))),
        null, Map.of("url", url, "headers", Map.of("X-Key", "{{secrets.API_KEY}}"), "allowHosts", List.of("127.0.0.1")),
        null, null);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** A workflow making one tool call with the run's real tool options (retries and backoff included). */
  @WorkflowInterface
  public interface OneToolCall {
    @WorkflowMethod
    ToolResult run(ToolCall call);
  }

  public static class OneToolCallImpl implements OneToolCall {
    @Override
    public ToolResult run(ToolCall call) {
      return Workflow.newActivityStub(ToolActivities.class, ActivityPolicies.tool("call " + call.tool())).call(call);
    }
  }

  @Test
  void httpTool_5xxThen200_isRetriedByTheWorkflowAndJournaledOnce_withTheRunsOrgSecret() {
    String key = "tool:" + UUID.randomUUID();
    ToolCall call = new ToolCall(runId, "agent_1", "flaky", Map.of("q", "x"), key, httpTool(url("/flaky")));
    TestWorkflowEnvironment workflows = TestWorkflowEnvironment.newInstance();
    try {
      Worker worker = workflows.newWorker("tools-test");
      worker.registerWorkflowImplementationTypes(OneToolCallImpl.class);
      worker.registerActivitiesImplementations(impl);
      workflows.start();
      OneToolCall workflow = workflows.getWorkflowClient().newWorkflowStub(OneToolCall.class,
          WorkflowOptions.newBuilder().setTaskQueue("tools-test").build());

      ToolResult result = workflow.run(call);

      assertThat(calls).hasValue(2);
      assertThat(result.attempt()).isEqualTo(2);
      assertThat(((Map<?, ?>) result.output()).get("body")).isEqualTo(Map.of("auth", "[secret]"));
    } finally {
      workflows.close();
    }
    ToolResult again = tools.call(call);
    assertThat(again.recorded()).isTrue();
    assertThat(calls).hasValue(2);
    String journaled = jdbc.sql("select result::text from call_journal where idempotency_key = ?").param(key)
        .query(String.class).single();
    assertThat(journaled).doesNotContain(SECRET);
  }

  /** One tool call that waits for the activity to acknowledge a cancel, as the agent loop's scope does. */
  public static class CancellableToolCallImpl implements OneToolCall {
    @Override
    public ToolResult run(ToolCall call) {
      return Workflow.newActivityStub(ToolActivities.class, ActivityOptions.newBuilder(ActivityPolicies.tool("slow"))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED).build()).call(call);
    }
  }

  @Test
  void httpTool_whenTheRunIsCancelled_stopsWaitingForTheEndpoint() throws Exception {
    ToolCall call = new ToolCall(runId, "agent_1", "flaky", Map.of("q", "x"), null, httpTool(url("/slow")));
    TestWorkflowEnvironment workflows = TestWorkflowEnvironment.newInstance();
    try {
      Worker worker = workflows.newWorker("tools-cancel-test");
      worker.registerWorkflowImplementationTypes(CancellableToolCallImpl.class);
      worker.registerActivitiesImplementations(impl);
      workflows.start();
      OneToolCall workflow = workflows.getWorkflowClient().newWorkflowStub(OneToolCall.class,
          WorkflowOptions.newBuilder().setTaskQueue("tools-cancel-test").build());
      WorkflowClient.start(workflow::run, call);
      assertThat(slowRequests.await(10, TimeUnit.SECONDS)).as("the endpoint was called").isTrue();

      WorkflowStub.fromTyped(workflow).cancel();

      // The workflow ends only once the activity has given up: the endpoint has still not answered.
      var ended = catchThrowableOfType(WorkflowFailedException.class,
          () -> WorkflowStub.fromTyped(workflow).getResult(ToolResult.class));
      assertThat(ended.getCause()).isInstanceOf(CanceledFailure.class);
      assertThat(slowAnswered).as("the endpoint had not answered yet").isFalse();
    } finally {
      workflows.close();
    }
  }

  @Test
  void httpTool_argumentsAgainstItsSchema_areChecked() {
    ToolCall call = new ToolCall(runId, "agent_1", "flaky", Map.of("q", 3), null, httpTool(url("/flaky")));

    ActivityFailure f = catchThrowableOfType(ActivityFailure.class, () -> tools.call(call));

    assertThat(((ApplicationFailure) f.getCause()).getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(calls).hasValue(0);
  }

  @Test
  void flowTool_isNotAnActivity_failsAsUnknownTool() {
    ToolDefinition flowTool = new ToolDefinition("research", "Research a topic", ToolDefinition.FLOW, null, null,
        null, "researcher", null);

    ActivityFailure f = catchThrowableOfType(ActivityFailure.class,
        () -> tools.call(new ToolCall(runId, "agent_1", "research", Map.of(), null, flowTool)));

    ApplicationFailure cause = (ApplicationFailure) f.getCause();
    assertThat(cause.getType()).isEqualTo(ToolFailures.UNKNOWN_TOOL);
    assertThat(cause.getOriginalMessage()).contains("child workflow");
  }

  @Test
  void builtinDefinition_runsTheBuiltIn() {
    ToolDefinition calc = ToolDefinition.parse("calculator");

    ToolResult r = tools.call(new ToolCall(runId, "agent_1", "calculator", Map.of("expression", "6*7"), null, calc));

    assertThat(r.text()).isEqualTo("42");
  }

  @Test
  void dryRun_usesTheGivenOrgAndJournalsNothing() {
    long before = jdbc.sql("select count(*) from call_journal").query(Long.class).single();
    calls.set(1); // the endpoint answers 200 at once

    ToolResult r = dryRuns.dryRun(new ToolDryRunRequest(org, httpTool(url("/flaky")), Map.of("q", "x"),
        ToolDryRunRequest.MAX_RESPONSE_BYTES, 5_000));

    assertThat(((Map<?, ?>) r.output()).get("status")).isEqualTo(200);
    assertThat(jdbc.sql("select count(*) from call_journal").query(Long.class).single()).isEqualTo(before);
  }

  @Test
  void unknownSecret_failsNamingIt() {
    ToolDefinition def = new ToolDefinition("t", "d", ToolDefinition.HTTP, null, null,
        Map.of("url", url("/flaky?k={{secrets.MISSING}}"), "allowHosts", List.of("127.0.0.1")), null, null);

    ActivityFailure f = catchThrowableOfType(ActivityFailure.class,
        () -> tools.call(new ToolCall(runId, "n", "t", Map.of(), null, def)));

    ApplicationFailure cause = (ApplicationFailure) f.getCause();
    assertThat(cause.getType()).isEqualTo(ToolFailures.SECRET_NOT_FOUND);
    assertThat(cause.getOriginalMessage()).contains("MISSING");
    assertThat(calls).hasValue(0);
  }
}
