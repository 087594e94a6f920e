package io.durableflows.api.agents;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.compat.ChatInputs;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.EventStreams.OnDisconnect;
import io.durableflows.api.streams.NativeEventFormat;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.llm.Usage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * One chat turn with an agent (or a sub-agent run directly): a run of the agent flow's latest release whose input
 * gets the message in its text variable, through the same run machinery as every route: JSON when the caller
 * waits, the native run event stream with {@code "stream": true}, 202 with {@code Prefer: respond-async}, and
 * {@code Idempotency-Key} retries. The conversation id is the run's {@code flow_session_id}.
 */
@Component
public class AgentChats {
  private static final int MAX_CONVERSATION_ID = 200;
  private final FlowService flows;
  private final RunService runs;
  private final EventStreams streams;
  private final Json json;

  AgentChats(FlowService flows, RunService runs, EventStreams streams, Json json) {
    this.flows = flows;
    this.runs = runs;
    this.streams = streams;
    this.json = json;
  }

  /** What the body asks: the message, the OpenAI-style messages if given, the conversation, and how to answer. */
  record Turn(String text, List<Map<String, Object>> messages, String conversationId, boolean stream,
      OnDisconnect onDisconnect) {
    @SuppressWarnings("unchecked")
    static Turn parse(Map<String, Object> body) {
      Object stream = body.get("stream");
      if (stream != null && !(stream instanceof Boolean)) {
        throw ApiException.badRequest("invalid_request", "stream must be a boolean");
      }
      OnDisconnect onDisconnect = OnDisconnect.parse(body.get("on_disconnect"), "on_disconnect");
      Object conversation = body.get("conversation_id");
      if (conversation != null && !(conversation instanceof String c && !c.isBlank()
          && c.length() <= MAX_CONVERSATION_ID && c.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f))) {
        throw ApiException.badRequest("invalid_request",
            "conversation_id must be 1 to " + MAX_CONVERSATION_ID + " printable ASCII characters");
      }
      String text;
      List<Map<String, Object>> messages;
      if (body.get("message") != null) {
        if (!(body.get("message") instanceof String t) || t.isBlank()) {
          throw ApiException.badRequest("invalid_request", "message must be a non-empty string");
        }
        text = t;
        messages = new ArrayList<>(List.of(Map.of("role", "user", "content", t)));
      } else if (body.get("messages") instanceof List<?> list && !list.isEmpty()) {
        for (Object m : list) {
          if (!(m instanceof Map)) throw ApiException.badRequest("invalid_request", "messages must be objects");
        }
        messages = new ArrayList<>((List<Map<String, Object>>) list);
        text = ChatInputs.lastUserMessage(messages);
        if (text.isBlank()) throw ApiException.badRequest("invalid_request", "the last user message is empty");
      } else {
        throw ApiException.badRequest("invalid_request", "send {\"message\": \"...\"} or a non-empty messages array");
      }
      return new Turn(text, messages, (String) conversation, Boolean.TRUE.equals(stream), onDisconnect);
    }
  }

  /** Runs one turn of {@code agent}; {@code channel} names the route in the run's record. */
  public ResponseEntity<?> chat(Caller caller, Agents.Agent agent, Map<String, Object> body, String channel,
      HttpServletRequest request, HttpServletResponse response) {
    caller.require("runs:write");
    Turn turn = Turn.parse(body);
    boolean async = AsyncRequests.requested(request);
    ResolvedFlow flow = flows.resolve(caller.orgId(), agent.flow().id(), null);
    Map<String, Object> input = ChatInputs.mapInput(InputSchema.of(flow.definition()), turn.messages(), turn.text());
    String conversation = turn.conversationId() != null ? turn.conversationId() : UUID.randomUUID().toString();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("user_text", turn.text());
    metadata.put("agent", agent.slug());
    RunCommand command = new RunCommand(flow.flowId(), flow.version(), input, metadata, null, conversation, channel);
    Idempotency idempotency = Idempotency.of(request, body);
    if (async) {
      RunRecord started = runs.startInBackground(caller, flow, command, idempotency);
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("id", started.id());
      extra.put("conversation_id", started.flowSessionId());
      return RunResponses.accepted(started, extra);
    }
    if (turn.stream()) {
      var subscription = streams.startStreamed(caller, flow, command, idempotency);
      HttpHeaders headers = EventStreams.headers();
      headers.set("X-Conversation-Id", conversation);
      streams.stream(response, subscription, new NativeEventFormat(json), headers, turn.onDisconnect());
      return null;
    }
    CompletedRun done = runs.runAndWait(caller, flow, command, idempotency);
    RunRecord record = runs.record(caller, done);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", done.runId());
    out.put("conversation_id", record.flowSessionId());
    out.put("agent", agent.slug());
    out.put("version", record.version());
    out.put("content", done.result().text());
    out.put("steps", done.result().steps());
    Map<String, Object> usage = new Usage(record.promptTokens(), record.completionTokens()).fields();
    usage.put("cost_usd", record.costUsd());
    out.put("usage", usage);
    out.put("status", record.status());
    out.putAll(RunResponses.links(done.runId()));
    return ResponseEntity.ok().header("X-Run-Id", done.runId()).body(out);
  }
}
