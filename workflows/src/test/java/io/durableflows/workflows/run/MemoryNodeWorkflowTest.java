package io.durableflows.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.durableflows.workflows.TaskQueues;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowValidator;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.memory.MemoryActivities;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryNodeWorkflowTest {
  private static final String RUN_ID = "r-mem";
  private static final LlmReply ANSWER =
      new LlmReply("You said hello.", "openai", "gpt-4o-mini", "stop", new Usage(30, 4), 0.0001, 100);
  private static final List<ChatMessage> HISTORY = List.of(
      ChatMessage.user("hello, I am Ada"), ChatMessage.assistant("Hi Ada!"),
      ChatMessage.user("what is 2+2?"), ChatMessage.assistant("4"));

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
  private final RunStoreActivities store = mock(RunStoreActivities.class, withSettings().withoutAnnotations());
  private final MemoryActivities memory = mock(MemoryActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.FLOWS);
    worker.registerWorkflowImplementationTypes(FlowRunWorkflowImpl.class);
    worker.registerActivitiesImplementations(llm, store, memory);
    env.start();
    client = env.getWorkflowClient();
    when(llm.complete(any())).thenReturn(ANSWER);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** input -> memory (with {@code data}) -> reply (llm) -> output. */
  static FlowDefinition memoryFlow(String data) {
    return TestFlows.parse("""
        {"slug": "chat", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "message", "type": "string", "required": true}]}},
          {"id": "memory", "type": "memory", "data": %s},
          {"id": "reply", "type": "llm", "data": {"systemPrompt": "Be brief.", "prompt": "{{input.message}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw", "source": "reply"}}],
         "edges": [{"source": "input", "target": "memory"}, {"source": "memory", "target": "reply"},
                   {"source": "reply", "target": "output"}]}""".formatted(data));
  }

  private RunResult run(FlowDefinition flow, String session) {
    assertThat(FlowValidator.validate(flow)).isEmpty();
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS).setWorkflowId(FlowRunWorkflow.workflowId("acme", flow.slug(), RUN_ID)).build());
    return workflow.run(new RunRequest(RUN_ID, "acme", flow.slug(), "draft", flow, Map.of("message", "and 3+3?"),
        false, session));
  }

  private LlmCall modelCall() {
    ArgumentCaptor<LlmCall> call = ArgumentCaptor.forClass(LlmCall.class);
    verify(llm).complete(call.capture());
    return call.getValue();
  }

  private RunOutcome outcome() {
    ArgumentCaptor<RunOutcome> outcome = ArgumentCaptor.forClass(RunOutcome.class);
    verify(store).recordOutcome(outcome.capture());
    return outcome.getValue();
  }

  @Test
  void memoryNode_withSession_givesTheLlmNodeTheLastWindowMessagesAsHistory() {
    when(memory.loadHistory("acme", "sess-1", FlowRunWorkflowImpl.HISTORY_LIMIT)).thenReturn(HISTORY);

    run(memoryFlow("{\"window\": 2}"), "sess-1");

    LlmCall call = modelCall();
    assertThat(call.history()).extracting(ChatMessage::role, ChatMessage::content)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("user", "what is 2+2?"),
            org.assertj.core.groups.Tuple.tuple("assistant", "4"));
    assertThat(call.systemPrompt()).isEqualTo("Be brief.");
    assertThat(call.prompt()).isEqualTo("and 3+3?");
  }

  @Test
  void memoryNode_withoutSession_loadsNothingAndGivesAnEmptyHistory() {
    run(memoryFlow("{}"), null);

    verify(memory, never()).loadHistory(anyString(), anyString(), anyInt());
    assertThat(modelCall().history()).isEmpty();
    assertThat(outcome().turn()).isNull();
  }

  @Test
  void memoryNode_withTokenBudget_keepsNewestMessagesWithinIt() {
    when(memory.loadHistory(any(), any(), anyInt())).thenReturn(List.of(
        ChatMessage.user("x".repeat(800)), ChatMessage.assistant("short answer"), ChatMessage.user("short question")));

    run(memoryFlow("{\"tokenBudget\": 40}"), "sess-1");

    assertThat(modelCall().history()).extracting(ChatMessage::content)
        .containsExactly("short answer", "short question");
  }

  @Test
  void memoryNode_withCompact_summarisesWhatDoesNotFitIntoASystemMessage() {
    when(memory.loadHistory(any(), any(), anyInt())).thenReturn(HISTORY);
    when(memory.summarize(any())).thenReturn(
        new Summary("Ada said hello.", "offline", "offline-echo", new Usage(20, 4), 0.0));

    RunResult result = run(memoryFlow("{\"window\": 2, \"compact\": true}"), "sess-1");

    ArgumentCaptor<SummaryRequest> asked = ArgumentCaptor.forClass(SummaryRequest.class);
    verify(memory).summarize(asked.capture());
    assertThat(asked.getValue().kind()).isEqualTo(SummaryRequest.SUMMARY);
    assertThat(asked.getValue().messages()).extracting(ChatMessage::content)
        .containsExactly("hello, I am Ada", "Hi Ada!");
    assertThat(modelCall().history()).extracting(ChatMessage::role, ChatMessage::content).containsExactly(
        org.assertj.core.groups.Tuple.tuple("system", MemoryPrompts.SUMMARY_PREFIX + "Ada said hello."),
        org.assertj.core.groups.Tuple.tuple("user", "what is 2+2?"),
        org.assertj.core.groups.Tuple.tuple("assistant", "4"));
    assertThat(result.usage()).isEqualTo(new Usage(50, 8));
    assertThat(outcome().llmCalls()).extracting(c -> c.nodeId()).containsExactly("memory", "reply");
  }

  @Test
  void memoryNode_withCompactAndEverythingFitting_makesNoModelCall() {
    when(memory.loadHistory(any(), any(), anyInt())).thenReturn(HISTORY);

    run(memoryFlow("{\"window\": 10, \"compact\": true}"), "sess-1");

    verify(memory, never()).summarize(any());
    assertThat(modelCall().history()).hasSize(4);
  }

  @Test
  void completedRun_withSession_recordsItsTurnWithTheOutcome() {
    when(memory.loadHistory(any(), any(), anyInt())).thenReturn(List.of());

    run(memoryFlow("{}"), "sess-9");

    RunOutcome outcome = outcome();
    assertThat(outcome.turn()).isNotNull();
    assertThat(outcome.turn().sessionId()).isEqualTo("sess-9");
    assertThat(outcome.turn().userText()).isEqualTo("and 3+3?");
    assertThat(outcome.turn().assistantText()).isEqualTo("You said hello.");
  }

  @Test
  void llmNode_notReachedFromAMemoryNode_getsNoHistory() {
    FlowDefinition qa = TestFlows.example("qa-raw");
    FlowRunWorkflow workflow = client.newWorkflowStub(FlowRunWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.FLOWS).setWorkflowId("w-qa").build());

    workflow.run(new RunRequest(RUN_ID, "acme", "qa-raw", "draft", qa, Map.of("question", "Why?"), false, "sess-2"));

    assertThat(modelCall().history()).isNull();
    assertThat(outcome().turn().userText()).isEqualTo("Why?");
  }

  @Test
  void memoryNode_output_isTheTranscriptForTemplates() {
    when(memory.loadHistory(any(), any(), anyInt())).thenReturn(HISTORY.subList(0, 2));
    FlowDefinition flow = TestFlows.parse("""
        {"slug": "show", "nodes": [
          {"id": "memory", "type": "memory", "data": {}},
          {"id": "t", "type": "template", "data": {"template": "{{memory.count}}: {{memory}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}],
         "edges": [{"source": "memory", "target": "t"}, {"source": "t", "target": "output"}]}""");

    RunResult result = run(flow, "sess-3");

    assertThat(result.text()).isEqualTo("2: user: hello, I am Ada\nassistant: Hi Ada!");
  }
}
