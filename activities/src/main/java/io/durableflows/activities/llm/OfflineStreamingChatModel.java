package io.durableflows.activities.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;

/**
 * The offline model, streamed word by word with a fixed delay between words, so streaming clients and demos
 * behave as they would against a real provider. Blocks the calling thread until the answer is out.
 */
public final class OfflineStreamingChatModel implements StreamingChatModel {
  private final OfflineChatModel model = new OfflineChatModel();
  private final Duration wordDelay;

  public OfflineStreamingChatModel(Duration wordDelay) {
    this.wordDelay = wordDelay == null ? Duration.ZERO : wordDelay;
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    ChatResponse response;
    try {
      response = model.doChat(request);
      String text = response.aiMessage().text() == null ? "" : response.aiMessage().text();
      String[] words = text.isEmpty() ? new String[0] : text.split("(?<=\\s)");
      Handle handle = new Handle();
      for (String word : words) {
        if (!wordDelay.isZero()) Thread.sleep(wordDelay);
        if (handle.cancelled) return;
        handler.onPartialResponse(new PartialResponse(word), new PartialResponseContext(handle));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handler.onError(e);
      return;
    } catch (RuntimeException e) {
      handler.onError(e);
      return;
    }
    handler.onCompleteResponse(response);
  }

  private static final class Handle implements StreamingHandle {
    private volatile boolean cancelled;

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
