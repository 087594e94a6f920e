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
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.durableflows.workflows.hitl.HumanAnswer;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolResult;
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
import java.util.List;
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
 * <p>When the dependency plugin cannot be resolved (an offline machine without it cached), any surefire report of
 * this module holds the same classpath: {@code target/surefire-reports/TEST-*.xml}, property
 * {@code surefire.test.class.path} (it already includes test-classes and classes).
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
    // People in the loop: each scenario waits for the run to ask, then answers the way a person would.
    Map<String, Object> why = Map.of("question", "Why is the sky blue?");
    recordHuman(dir, "approval-approved", TestFlows.example("approval-demo"), why, (run, stub) ->
        run.respond(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.APPROVE, "fine", null, null, "tok_1", "alice")));
    recordHuman(dir, "approval-denied-branch", TestFlows.deniedBranch(), why, (run, stub) ->
        run.respond(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.DENY, "not today", null, null, "tok_1",
            "alice")));
    recordHuman(dir, "approval-expired",
        TestFlows.withData(TestFlows.example("approval-demo"), "review", "timeout", "2s"), why,
        (run, stub) -> awaitRequest(run));
    recordHuman(dir, "approval-by-signal", TestFlows.example("approval-demo"), why, (run, stub) ->
        run.answer(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice")));
    recordHuman(dir, "question-answered", TestFlows.example("question-demo"), Map.of("topic", "durable execution"),
        (run, stub) -> run.respond(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.ANSWER, null, null,
            "step by step", "tok_2", "bob")));
    recordHuman(dir, "tool-approved-modified-arguments", TestFlows.calculator(), Map.of("expression", "6*7"),
        (run, stub) -> run.respond(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.APPROVE, "use mine",
            Map.of("expression", "7*6"), null, "tok_1", "alice")));
    recordHuman(dir, "tool-without-approval", TestFlows.withData(TestFlows.calculator(), "calc", "approval",
        Map.of("rules", List.of(Map.of("argument", "expression", "operator", "matches", "value", "\\d{6,}")))),
        Map.of("expression", "6*7"), null);
    recordHuman(dir, "approval-cancelled-run", TestFlows.example("approval-demo"), why, (run, stub) -> {
      awaitRequest(run);
      stub.cancel();
    });
    // Graph nodes: a CEL switch (each branch), parallel branches, a map (prompt and child runs), a sub-flow.
    record(dir, "switch-case", GraphFlows.router(), Map.of("amount", 1500, "request", "40 chairs"), new StubLlm(null));
    record(dir, "switch-default", GraphFlows.router(), Map.of("amount", 20), new StubLlm(null));
    record(dir, "parallel-join", GraphFlows.fanOut(), Map.of("topic", "tea"), new StubLlm(null));
    record(dir, "map-prompt", GraphFlows.mapPrompt(2), Map.of("list", List.of("a", "b", "c")), new StubLlm(null));
    record(dir, "map-flow", GraphFlows.mapFlow(true), Map.of("list", List.of("x", "y")), new StubLlm(null));
    record(dir, "subflow", GraphFlows.subflow("echo"), Map.of("text", "hello"), new StubLlm(null));
    // Agents: parallel tool calls in one turn, a malformed call answered back, a call a person approves.
    Map<String, Object> ask = Map.of("message", "What is 6*7, and what time is it?");
    record(dir, "agent-parallel-tools", TestFlows.example("agent-tools"), ask, new StubLlm(null));
    record(dir, "agent-malformed-arguments", TestFlows.example("agent-tools"), ask, new MalformedFirstLlm());
    recordHuman(dir, "agent-tool-approved", TestFlows.withData(TestFlows.example("agent-tools"), "agent", "tools",
        List.of(Map.of("name", "calculator", "approval", "always"))), ask, (run, stub) ->
        run.respond(new HumanAnswer(awaitRequest(run).id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice")));
    // An agent naming a skill and a block: one BuildContext activity before its first turn.
    record(dir, "agent-context-skills", TestFlows.withData(TestFlows.withData(TestFlows.example("agent-tools"), "agent",
        "skills", List.of("triage")), "agent", "promptBlocks", List.of("tone")), ask, new StubLlm(null));
    // Memory: a session's history loaded (local activity), the older part compacted (SummarizeHistory), then
    // the llm node called with the rest as history.
    session = "sess-1";
    record(dir, "memory-compacted", MemoryNodeWorkflowTest.memoryFlow("{\"window\": 2, \"compact\": true}"),
        Map.of("message", "and 3+3?"), new StubLlm(null));
    session = null;
  }

  /** Skills and blocks as the BuildContext activity would render them. */
  static final class StubContext implements io.durableflows.workflows.context.ContextActivities {
    @Override
    public io.durableflows.workflows.context.ContextBlocks build(io.durableflows.workflows.context.ContextRequest r) {
      return new io.durableflows.workflows.context.ContextBlocks(
          "<skill name=\"triage\">\nSort by urgency.\n</skill>\n\n<block name=\"tone\">\nBe kind.\n</block>",
          List.of(new io.durableflows.workflows.context.ContextBlocks.Block("triage", "skill", "skill",
                  "Sort by urgency.", "none", false, null),
              new io.durableflows.workflows.context.ContextBlocks.Block("tone", "prompt", "static", "Be kind.", "none",
                  false, null)));
    }
  }

  /** An agent's model that first writes broken arguments, then corrects them, then answers. */
  static final class MalformedFirstLlm implements LlmActivities {
    @Override
    public LlmReply complete(LlmCall call) {
      throw new UnsupportedOperationException("agent scenarios only");
    }

    @Override
    public LlmChatReply chat(LlmChatCall call) {
      String key = call.idempotencyKey();
      if (key.endsWith("/turn-1")) {
        return AgentScripts.calls(AgentScripts.call("c1", "calculator", "{\"expression\": 6*7"));
      }
      if (key.endsWith("/turn-2")) {
        return AgentScripts.calls(AgentScripts.call("c2", "calculator", "{\"expression\": \"6*7\"}"));
      }
      return AgentScripts.answer("42");
    }
  }

  /** The session of the runs recorded next (null: none). */
  private static String session;

  /** Acts on a running workflow as a client would: through its typed stub, or the untyped one (to cancel it). */
  @FunctionalInterface
  interface Driver {
    void drive(FlowRunWorkflow workflow, io.temporal.client.WorkflowStub untyped) throws Exception;
  }

  /** A scenario with people in the loop: {@code driver} (when given) answers the run's requests. */
  private static void recordHuman(Path dir, String name, FlowDefinition flow, Map<String, Object> input,
      Driver driver) throws IOException {
    recordDriven(dir, name, flow, input, false, driver, client -> new StubLlm(null));
  }

  /** The first request the run waits on, once it asks (queries leave nothing in the history). */
  static HumanRequest awaitRequest(FlowRunWorkflow workflow) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      List<HumanRequest> pending = workflow.pending();
      if (!pending.isEmpty()) return pending.get(0);
      Thread.sleep(10);
    }
    throw new IllegalStateException("the run asked nobody within 10 s");
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
    recordDriven(dir, name, flow, input, stream, whileRunning == null ? null : (workflow, untyped) -> {
      awaitFirstDelta(workflow);
      whileRunning.accept(untyped);
    }, llmFactory);
  }

  /** Runs one scenario; {@code driver}, when given, acts on the running workflow while it runs. */
  private static void recordDriven(Path dir, String name, FlowDefinition flow, Map<String, Object> input,
      boolean stream, Driver driver, java.util.function.Function<WorkflowClient, LlmActivities> llmFactory) throws IOException {
    if (!only.isEmpty() && !only.contains(name)) return;
    String runId = "r-" + name;
    String workflowId = FlowRunWorkflow.workflowId("acme", flow.slug(), runId);
    // A fixed identity instead of pid@host keeps re-recorded files free of machine details.
    var options = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setIdentity("history-recorder")
            .setDataConverter(UpdateFailureConverter.dataConverter()).build())
        // Real time: a heartbeating activity must not see its heartbeat timeout skipped past.
        .setUseTimeskipping(false)
        .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = env.newWorker(TaskQueues.FLOWS);
      worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
      WorkflowClient client = env.getWorkflowClient();
      worker.registerActivitiesImplementations(llmFactory.apply(client), new NoopStore(), new StubTools(),
          new StubContext(), new StubMemory());
      env.start();
      FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.FLOWS).setWorkflowId(workflowId).build());
      WorkflowClient.start(workflow::run, new RunRequest(runId, "acme", flow.slug(), "draft", flow, input, stream,
          session));
      io.temporal.client.WorkflowStub untyped = client.newUntypedWorkflowStub(workflowId);
      if (driver != null) {
        try {
          driver.drive(workflow, untyped);
        } catch (Exception e) {
          throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
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

  /** A session with four earlier messages; summaries name how many messages they cover. */
  static final class StubMemory implements io.durableflows.workflows.memory.MemoryActivities {
    @Override
    public List<io.durableflows.workflows.llm.ChatMessage> loadHistory(String orgCode, String sessionId, int limit) {
      return List.of(io.durableflows.workflows.llm.ChatMessage.user("hello, I am Ada"),
          io.durableflows.workflows.llm.ChatMessage.assistant("Hi Ada!"),
          io.durableflows.workflows.llm.ChatMessage.user("what is 2+2?"),
          io.durableflows.workflows.llm.ChatMessage.assistant("4"));
    }

    @Override
    public io.durableflows.workflows.memory.Summary summarize(io.durableflows.workflows.memory.SummaryRequest r) {
      return new io.durableflows.workflows.memory.Summary("summary of " + r.messages().size() + " messages",
          "openai", "gpt-4o-mini", new Usage(20, 5), 0.00001);
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

    @Override
    public LlmChatReply chat(LlmChatCall call) {
      return AgentScripts.calculatorThenAnswer(call);
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

    @Override
    public LlmChatReply chat(LlmChatCall call) {
      throw new UnsupportedOperationException("streaming histories have no agent nodes");
    }
  }

  /** Answers every tool call with 42, as the calculator would for 6*7. */
  static final class StubTools implements ToolActivities {
    @Override
    public ToolResult call(ToolCall call) {
      var info = Activity.getExecutionContext().getInfo();
      return new ToolResult(42, "42", 3, info.getActivityId(), info.getAttempt(), false);
    }
  }

  static final class NoopStore implements RunStoreActivities {
    @Override
    public void recordOutcome(RunOutcome outcome) {}

    @Override
    public void recordRequest(String runId, io.durableflows.workflows.hitl.HumanRequest request) {}

    @Override
    public void recordResolution(String runId, io.durableflows.workflows.hitl.HumanResolution resolution) {}

    /** Children of the graph scenarios: the flows of {@link GraphFlows}. */
    @Override
    public RunRequest prepareChildRun(io.durableflows.workflows.store.ChildRunSpec spec) {
      return GraphFlows.childRequest(spec, Map.of("echo", GraphFlows.echo()));
    }
  }
}
