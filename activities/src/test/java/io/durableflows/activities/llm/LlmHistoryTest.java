package io.durableflows.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A call's history reaches the provider between the system prompt and the prompt, in order. */
class LlmHistoryTest {
  private OpenAiStubServer stub;
  private TestActivityEnvironment env;
  private LlmActivities activities;

  @BeforeEach
  void setUp() {
    stub = OpenAiStubServer.start();
    env = TestActivityEnvironment.newInstance();
    var settings = new ProviderSettings("stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini",
        Duration.ofSeconds(5));
    env.registerActivitiesImplementations(new LlmActivitiesImpl(
        new ModelProviders(List.of(settings), "stub", Duration.ZERO), (workflowId, batch) -> {},
        new StreamSettings(Duration.ofMillis(100), Duration.ofSeconds(5)), CallJournal.NONE));
    activities = env.newActivityStub(LlmActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    stub.close();
  }

  private static List<String> sent(OpenAiStubServer.RecordedRequest request) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : request.json().path("messages")) out.add(m.path("role").asText() + ":" + m.path("content").asText());
    return out;
  }

  @Test
  void complete_withHistory_sendsSystemPromptThenHistoryThenPrompt() {
    LlmCall call = new LlmCall("run-1", "reply", "stub", null, "Be brief.", "And mine?", null, null, false, null,
        List.of(ChatMessage.system("Summary of the earlier conversation: Ada"), ChatMessage.user("My name is Ada."),
            ChatMessage.assistant("Hi Ada.")));

    activities.complete(call);

    assertThat(sent(stub.lastRequest())).containsExactly("system:Be brief.",
        "system:Summary of the earlier conversation: Ada", "user:My name is Ada.", "assistant:Hi Ada.",
        "user:And mine?");
  }

  @Test
  void complete_withoutHistory_sendsSystemPromptAndPromptOnly() {
    activities.complete(new LlmCall("run-1", "reply", "stub", null, null, "Hi", null, null, false));

    assertThat(sent(stub.lastRequest())).containsExactly("user:Hi");
  }
}
