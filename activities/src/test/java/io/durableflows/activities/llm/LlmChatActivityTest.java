package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.activities.llm.LlmActivitiesImplTest.RecordingSink;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.OpenAiStubServer.ToolCallReply;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.ChatMessage.ToolRequest;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.ToolFunction;
import io.durableflows.workflows.tools.BuiltInTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent turn activity ({@code LlmChat}) against the OpenAI wire protocol and with the offline model. */
class LlmChatActivityTest {
  private static final List<ToolFunction> TOOLS = BuiltInTools.all().stream()
      .map(t -> new ToolFunction(t.name(), t.description(), t.parameters())).toList();

  private final RecordingSink sink = new RecordingSink();
  private TestActivityEnvironment env;
  private OpenAiStubServer stub;
  private LlmActivities activities;

  @BeforeEach
  void setUp() {
    stub = OpenAiStubServer.start();
    var settings = new ProviderSettings("stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini",
        Duration.ofSeconds(5));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new LlmActivitiesImpl(
        new ModelProviders(List.of(settings), "stub", Duration.ZERO), sink,
        new StreamSettings(Duration.ofMillis(100), Duration.ofSeconds(5)), CallJournal.NONE));
    activities = env.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    stub.close();
  }

  private static LlmChatCall turn(String provider, boolean stream, List<ChatMessage> messages) {
    return new LlmChatCall("run-1", "agent", provider, null, messages, TOOLS, null, null, stream, null);
  }

  private static LlmChatCall ask(String provider, boolean stream, String question) {
    return turn(provider, stream, List.of(ChatMessage.system("Use tools."), ChatMessage.user(question)));
  }

  @Test
  void chat_whenTheModelAsksForATool_returnsTheCall() {
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_1", "calculator", "{\"expression\":\"6*7\"}")));

    LlmChatReply reply = activities.chat(ask("stub", false, "What is 6*7?"));

    assertThat(reply.toolCalls()).containsExactly(new ToolRequest("call_1", "calculator", "{\"expression\":\"6*7\"}"));
    assertThat(reply.reply().finishReason()).isEqualTo("tool_execution");
  }

  @Test
  void chat_streamed_assemblesParallelToolCallsFromTheirFragments() {
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_1", "calculator", "{\"expression\":\"1+1\"}"),
        new ToolCallReply("call_2", "current_time", "{\"timezone\":\"UTC\"}")));

    LlmChatReply reply = activities.chat(ask("stub", true, "Sum and time?"));

    assertThat(reply.toolCalls()).containsExactly(
        new ToolRequest("call_1", "calculator", "{\"expression\":\"1+1\"}"),
        new ToolRequest("call_2", "current_time", "{\"timezone\":\"UTC\"}"));
  }

  @Test
  void chat_returnsMalformedArgumentsVerbatim_forTheLoopToAnswer() {
    stub.enqueue(Reply.toolCalls(new ToolCallReply("call_1", "calculator", "{\"expression\": 6*7")));

    LlmChatReply reply = activities.chat(ask("stub", false, "What is 6*7?"));

    assertThat(reply.toolCalls()).singleElement().extracting(ToolRequest::arguments)
        .isEqualTo("{\"expression\": 6*7");
  }

  @Test
  void chat_sendsToolsAsFunctionsWithTheirSchemas() {
    stub.enqueue(Reply.success("fine"));

    activities.chat(ask("stub", false, "Hi"));

    JsonNode tools = stub.lastRequest().json().path("tools");
    assertThat(tools).hasSize(3);
    JsonNode calculator = tools.get(0);
    assertThat(calculator.path("type").asText()).isEqualTo("function");
    assertThat(calculator.path("function").path("name").asText()).isEqualTo("calculator");
    assertThat(calculator.path("function").path("parameters").path("required").get(0).asText())
        .isEqualTo("expression");
    assertThat(calculator.path("function").path("parameters").path("properties").path("expression")
        .path("maxLength").asInt()).isEqualTo(500);
  }

  @Test
  void chat_sendsTheConversationWithToolCallsAndResults() {
    stub.enqueue(Reply.success("6*7 is 42."));
    List<ChatMessage> conversation = List.of(ChatMessage.user("What is 6*7?"),
        ChatMessage.assistant("", List.of(new ToolRequest("call_1", "calculator", "{\"expression\":\"6*7\"}"))),
        ChatMessage.tool("call_1", "calculator", "42"));

    LlmChatReply reply = activities.chat(turn("stub", false, conversation));

    assertThat(reply.reply().text()).isEqualTo("6*7 is 42.");
    assertThat(reply.toolCalls()).isEmpty();
    JsonNode messages = stub.lastRequest().json().path("messages");
    assertThat(messages.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
    assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
        .isEqualTo("{\"expression\":\"6*7\"}");
    assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(messages.get(2).path("content").asText()).isEqualTo("42");
  }

  @Test
  void chat_offline_callsTheCalculatorForArithmetic() {
    LlmChatReply reply = activities.chat(ask("offline", false, "What is (12.5 + 7) * 3?"));

    assertThat(reply.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("calculator");
      assertThat(c.arguments()).isEqualTo("{\"expression\":\"(12.5 + 7) * 3\"}");
    });
  }

  @Test
  void chat_offline_callsTheClockForTheTime() {
    LlmChatReply reply = activities.chat(ask("offline", true, "What time is it now?"));

    assertThat(reply.toolCalls()).extracting(ToolRequest::name).containsExactly("current_time");
  }

  @Test
  void chat_offline_answersWithWhatTheToolsReturned() {
    List<ChatMessage> conversation = List.of(ChatMessage.user("What is 6*7?"),
        ChatMessage.assistant("", List.of(new ToolRequest("call_1", "calculator", "{\"expression\":\"6*7\"}"))),
        ChatMessage.tool("call_1", "calculator", "42"));

    LlmChatReply reply = activities.chat(turn("offline", true, conversation));

    assertThat(reply.toolCalls()).isEmpty();
    assertThat(reply.reply().text()).isEqualTo("The result is 42.");
    assertThat(sink.text()).isEqualTo("The result is 42.");
  }

  @Test
  void chat_offline_withNothingForItsTools_answersAsUsual() {
    LlmChatReply reply = activities.chat(ask("offline", false, "Tell me about whales."));

    assertThat(reply.toolCalls()).isEmpty();
    assertThat(reply.reply().text()).startsWith("Offline answer to \"Tell me about whales.\"");
  }

  @Test
  void chat_offline_callsAToolTheMessageNames_withTheMessageAsItsTextArgument() {
    var researcher = new ToolFunction("researcher", "Researches a topic", Map.of("type", "object",
        "required", List.of("task"), "properties", Map.of("task", Map.of("type", "string"))));
    LlmChatCall call = new LlmChatCall("run-1", "agent", "offline", null,
        List.of(ChatMessage.user("Ask the researcher about whales")), List.of(researcher), null, null, false, null);

    LlmChatReply reply = activities.chat(call);

    assertThat(reply.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("researcher");
      assertThat(c.arguments()).isEqualTo("{\"task\":\"Ask the researcher about whales\"}");
    });
  }
}
