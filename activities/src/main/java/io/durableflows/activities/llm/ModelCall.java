package io.durableflows.activities.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One model call running on a virtual thread of its own, so the activity's thread stays free to batch deltas,
 * heartbeat and notice cancellation. What the model does arrives as a queue of {@link Item}s.
 */
final class ModelCall {
  sealed interface Item {}

  record Delta(String text) implements Item {}

  record Completed(ChatResponse response) implements Item {}

  record Failed(Throwable error) implements Item {}

  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private volatile boolean cancelled;
  private Thread thread;

  private ModelCall() {}

  static ModelCall streaming(StreamingChatModel model, ChatRequest request, String name) {
    ModelCall call = new ModelCall();
    call.start(name, () -> model.chat(request, call.handler()));
    return call;
  }

  static ModelCall blocking(ChatModel model, ChatRequest request, String name) {
    ModelCall call = new ModelCall();
    call.start(name, () -> call.items.add(new Completed(model.chat(request))));
    return call;
  }

  private void start(String name, Runnable body) {
    thread = Thread.ofVirtual().name(name).start(() -> {
      try {
        body.run();
      } catch (RuntimeException e) {
        items.add(new Failed(e));
      }
    });
  }

  private StreamingChatResponseHandler handler() {
    return new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        if (cancelled) {
          context.streamingHandle().cancel();
          return;
        }
        if (partial.text() != null && !partial.text().isEmpty()) items.add(new Delta(partial.text()));
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        items.add(new Completed(response));
      }

      @Override
      public void onError(Throwable error) {
        items.add(new Failed(error));
      }
    };
  }

  /** The next item, or null when none came within {@code millis}. */
  Item next(long millis) throws InterruptedException {
    return items.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** Stops the call at its next delta; a blocking call is interrupted. */
  void cancel() {
    cancelled = true;
    thread.interrupt();
  }
}
