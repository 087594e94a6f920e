package io.durableflows.activities.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.durableflows.workflows.catalog.ModelCatalog;

/**
 * The built-in model: no network, no key, and the same answer for the same prompt, so flows, tests and
 * benchmarks run anywhere. Tokens are counted as whitespace-separated words.
 */
public final class OfflineChatModel implements ChatModel {
  private static final int MAX_ECHO = 400;

  @Override
  public ChatResponse doChat(ChatRequest request) {
    int promptTokens = 0;
    for (ChatMessage m : request.messages()) {
      promptTokens += words(text(m));
    }
    var toolTurn = OfflineToolUse.turn(request);
    if (toolTurn.isPresent()) {
      AiMessage message = toolTurn.get();
      boolean calls = message.hasToolExecutionRequests();
      return ChatResponse.builder()
          .aiMessage(message)
          .modelName(ModelCatalog.OFFLINE_MODEL)
          .tokenUsage(new TokenUsage(promptTokens, calls ? 10 * message.toolExecutionRequests().size()
              : words(message.text())))
          .finishReason(calls ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
          .build();
    }
    String prompt = lastUserText(request);
    String echoed = prompt.length() > MAX_ECHO ? prompt.substring(0, MAX_ECHO) + "…" : prompt;
    // Drafts, capability answers, summaries and titles the platform asks for itself, else the echo.
    String answer = OfflineToolDrafts.answer(systemText(request), prompt)
        .or(() -> OfflineCapabilities.answer(systemText(request), prompt))
        .or(() -> OfflineTasks.answer(request))
        .orElse("Offline answer to \"" + echoed.strip() + "\": this reply comes from the built-in offline model, "
            + "which needs no API key; configure a provider for real answers.");
    Integer max = request.parameters() == null ? null : request.parameters().maxOutputTokens();
    FinishReason finish = FinishReason.STOP;
    if (max != null && words(answer) > max) {
      answer = firstWords(answer, max);
      finish = FinishReason.LENGTH;
    }
    return ChatResponse.builder()
        .aiMessage(AiMessage.from(answer))
        .modelName(ModelCatalog.OFFLINE_MODEL)
        .tokenUsage(new TokenUsage(promptTokens, words(answer)))
        .finishReason(finish)
        .build();
  }

  private static String lastUserText(ChatRequest request) {
    String text = "";
    for (ChatMessage m : request.messages()) {
      if (m instanceof UserMessage) text = text(m);
    }
    return text;
  }

  private static String systemText(ChatRequest request) {
    for (ChatMessage m : request.messages()) {
      if (m instanceof SystemMessage s) return s.text();
    }
    return null;
  }

  private static String text(ChatMessage m) {
    if (m instanceof UserMessage u) return u.hasSingleText() ? u.singleText() : String.valueOf(u.contents());
    if (m instanceof SystemMessage s) return s.text();
    if (m instanceof AiMessage a) return a.text() == null ? "" : a.text();
    return "";
  }

  static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static String firstWords(String s, int n) {
    String[] parts = s.strip().split("\\s+");
    return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(n, parts.length)));
  }
}
