package io.durableflows.workflows.run;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.events.DeltaBatch;
import io.durableflows.workflows.events.RunEvent;
import io.temporal.activity.Activity;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.Overrides;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Records the workflow histories that {@link FlowRunReplayTest} replays. A tool, not a test: it runs each
 * scenario on a {@code TestWorkflowEnvironment} with stub activities and writes the history as JSON. Run it
 * after an intended change to the workflow's command sequence:
 *
 * <pre>
 * ./mvnw -o -q -B -pl workflows test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * cd workflows
 * java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     io.durableflows.workflows.run.HistoryRecorder [output dir [scenario ...]]
 * </pre>
 *
 * <p>Re-recording makes the old histories pass again, so only do it when runs in flight under the old code may
 * be abandoned or the change is versioned with {@code Workflow.getVersion}.
 */
public final class HistoryRecorder {
  private static final Map<String, Object> QUESTION = Map.of("question", "Why is the sky blue?", "tone", "friendly");

  /** Scenarios to (re-)record; empty means all. Recording only new ones keeps the old histories as proof. */
  private static Set<String> only = Set.of();

  private HistoryRecorder() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/histories");
    Files.createDirectories(dir);
    only = Set.of(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    record(dir, "qa-raw", TestFlows.example("qa-raw"), QUESTION, new StubLlm(null));
    record(dir, "qa-openai", TestFlows.example("qa-openai"), Map.of("question", "Why is the sky blue?"),
        new StubLlm(null));
    record(dir, "chained-json-template", TestFlows.chained(), QUESTION, new StubLlm(null));
    record(dir, "chained-openai", Overrides.apply(TestFlows.chained(),
        Map.of("node/output.shape", "openai_chat_completion", "node/output.source", "critique")), QUESTION,
        new StubLlm(null));
    record(dir, "failed-provider-auth", TestFlows.chained(), QUESTION, new StubLlm("critique"));
    record(dir, "qa-raw-streamed", TestFlows.example("qa-raw"), QUESTION, true, null, StreamingStubLlm::new);
    record(dir, "cancelled-mid-stream", TestFlows.example("qa-raw"), QUESTION, true,
        stub -> stub.cancel(), client -> new StreamingStubLlm(client, true));
  }

  private static void record(Path dir, String name, FlowDefinition flow, Map<String, Object> input,
      LlmActivities llm) throws IOException {
    record(dir, name, flow, input, false, null, client -> llm);
  }

  /**
   * Runs one scenario; {@code whileRunning}, when given, acts on the running workflow once the model call has
   * streamed its first delta (e.g. cancels it).
   */
  private static void record(Path dir, String name, FlowDefinition flow, Map<String, Object> input, boolean stream,
      java.util.function.Consumer<io.temporal.client.WorkflowStub> whileRunning,
      java.util.function.Function<WorkflowClient, LlmActivities> llmFactory) throws IOException {
    if (!only.isEmpty() && !only.contains(name)) return;
    String runId = "r-" + name;
    String workflowId = FlowRunWorkflow.workflowId("acme", flow.slug(), runId);
    // A fixed identity instead of pid@host keeps re-recorded files free of machine details.
    var options = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setIdentity("history-recorder").build())
        // Real time: a heartbeating activity must not see its heartbeat timeout skipped past.
        .setUseTimeskipping(false)
        .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
      WorkflowClient client = env.getWorkflowClient();
      worker.registerActivitiesImplementations(llmFactory.apply(client), new NoopStore());
      env.start();
      FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId).build());
      WorkflowClient.start(workflow::run, new RunRequest(runId, "acme", flow.slug(), "draft", flow, input, stream));
      io.temporal.client.WorkflowStub untyped = client.newUntypedWorkflowStub(workflowId);
      if (whileRunning != null) {
        awaitFirstDelta(workflow);
        whileRunning.accept(untyped);
      }
      try {
        untyped.getResult(RunResult.class);
      } catch (WorkflowFailedException e) {
        System.out.println(name + ": workflow failed as recorded: " + e.getCause().getMessage());
      }
      Path file = dir.resolve(name + ".json");
      Files.writeString(file, client.fetchHistory(workflowId).toJson(true) + "\n");
      System.out.println("wrote " + file);
    }
  }

  /** Answers every call from its prompt; fails the node named {@code failingNode} as a 401 would. */
  static final class StubLlm implements LlmActivities {
    private final String failingNode;

    StubLlm(String failingNode) {
      this.failingNode = failingNode;
    }

    @Override
    public LlmReply complete(LlmCall call) {
      if (call.nodeId().equals(failingNode)) {
        throw ApplicationFailure.newNonRetryableFailure("401 invalid api key", LlmFailures.PROVIDER_AUTH);
      }
      String model = call.model() == null ? "gpt-4o-mini" : call.model();
      return new LlmReply("[" + call.nodeId() + "] answer to: " + call.prompt(), "openai", model, "stop",
          new Usage(call.prompt().length(), 9), 0.0001, 120);
    }
  }

  private static void awaitFirstDelta(FlowRunWorkflow workflow) {
    for (int i = 0; i < 500; i++) {
      if (workflow.events(0).events().stream().anyMatch(e -> e.type().equals(RunEvent.MESSAGE))) return;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("no delta within 5 s");
  }

  /**
   * Streams its answer in three delta batches signalled to the run, as the real activity does; with {@code hang}
   * it then heartbeats until the run is cancelled.
   */
  static final class StreamingStubLlm implements LlmActivities {
    private final WorkflowClient client;
    private final boolean hang;

    StreamingStubLlm(WorkflowClient client) {
      this(client, false);
    }

    StreamingStubLlm(WorkflowClient client, boolean hang) {
      this.client = client;
      this.hang = hang;
    }

    @Override
    public LlmReply complete(LlmCall call) {
      var context = Activity.getExecutionContext();
      var run = client.newUntypedWorkflowStub(context.getInfo().getWorkflowId());
      String[] parts = {"Blue ", "light ", "scatters."};
      for (int i = 0; i < parts.length; i++) {
        run.signal(FlowRunWorkflow.DELTAS_SIGNAL, new DeltaBatch(call.nodeId(), context.getInfo().getAttempt(), i + 1,
            parts[i]));
        if (hang && i == 0) {
          while (true) {
            context.heartbeat(i);
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          }
        }
      }
      return new LlmReply(String.join("", parts), "openai", "gpt-4o-mini", "stop", new Usage(10, 3), 0.0001, 120);
    }
  }

  static final class NoopStore implements RunStoreActivities {
    @Override
    public void recordOutcome(RunOutcome outcome) {}

    @Override
    public void recordRequest(String runId, io.durableflows.workflows.hitl.HumanRequest request) {}

    @Override
    public void recordResolution(String runId, io.durableflows.workflows.hitl.HumanResolution resolution) {}
  }
}
