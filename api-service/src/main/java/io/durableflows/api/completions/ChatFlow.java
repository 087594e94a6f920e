package io.durableflows.api.completions;

import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The built-in one-llm-node flow behind {@code POST /api/v1/llm/chat} ({@code completions/llm-chat.json}): a
 * direct model call is a durable run like any other, so it retries, streams through the run event log, and is
 * listed in {@code /api/v1/runs} under {@code llm-chat}.
 */
@Component
class ChatFlow {
  /** The llm node, which takes the request's model settings as overrides. */
  static final String NODE = "chat";
  private final ResolvedFlow flow;

  ChatFlow(FlowService flows, Json json) {
    try (InputStream in = ChatFlow.class.getResourceAsStream("/completions/llm-chat.json")) {
      if (in == null) throw new IllegalStateException("completions/llm-chat.json is not on the classpath");
      this.flow = flows.builtIn(json.readMap(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ResolvedFlow flow() {
    return flow;
  }
}
