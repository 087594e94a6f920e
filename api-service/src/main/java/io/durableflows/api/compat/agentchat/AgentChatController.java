package io.durableflows.api.compat.agentchat;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.compat.ChatInputs;
import io.durableflows.api.credits.CreditService;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunWaitingException;
import io.durableflows.api.runs.RunRepository;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.PreparedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.runs.RunService.StartedRun;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.EventStreams.OnDisconnect;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.InputSchema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 003, the integrator chat endpoint: an agent is a published flow addressed by slug; each turn is a run,
 * metered against the org's FLOW balance (pre-charge hold, settled to the real cost), streamed as SSE by default.
 * The conversation is kept server-side per caller (token) and agent: earlier completed turns of the same caller
 * reach the flow as OpenAI-style {@code messages} when it declares that input.
 */
@RestController
class AgentChatController {
  private static final String CHANNEL = "agent_chat";
  private static final int HISTORY_TURNS = 20;
  private final AgentAuth auth;
  private final TokenService tokens;
  private final FlowService flows;
  private final RunService runs;
  private final RunRepository runRecords;
  private final CreditService credits;
  private final EventStreams streams;
  private final RunResponses responses;
  private final Json json;

  AgentChatController(AgentAuth auth, TokenService tokens, FlowService flows, RunService runs,
      RunRepository runRecords, CreditService credits, EventStreams streams, RunResponses responses, Json json) {
    this.auth = auth;
    this.tokens = tokens;
    this.flows = flows;
    this.runs = runs;
    this.runRecords = runRecords;
    this.credits = credits;
    this.streams = streams;
    this.responses = responses;
    this.json = json;
  }

  record KeyRequest(String name) {}

  /** Mints an {@code af_live_…} key for the caller's org; the raw key is in this response only. */
  @PostMapping("/me/api-keys")
  ResponseEntity<Map<String, Object>> mintKey(HttpServletRequest request, @RequestBody KeyRequest body) {
    Caller caller = auth.authenticate(request);
    if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
      throw ApiException.badRequest("invalid_request", "name is required: 1 to 100 characters");
    }
    var minted = tokens.mintApiKey(caller, body.name().strip());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", minted.id());
    out.put("name", minted.name());
    out.put("key", minted.token());
    out.put("scopes", minted.scopes());
    out.put("created_at", minted.createdAt());
    out.put("note", "store this key now: it is not shown again");
    return ResponseEntity.status(HttpStatus.CREATED).body(out);
  }

  @PostMapping("/agents/{slug}/chat")
  ResponseEntity<?> chat(@PathVariable String slug, @RequestBody Map<String, Object> body,
      HttpServletRequest request, HttpServletResponse response) {
    Caller caller = auth.authenticate(request);
    caller.require("runs:write");
    Turn turn = Turn.parse(body);
    ResolvedFlow agent = agent(caller, slug);
    String session = "agent-chat:" + caller.tokenId();
    List<Map<String, Object>> messages = history(caller, agent, session);
    messages.add(Map.of("role", "user", "content", turn.text()));
    Map<String, Object> input = ChatInputs.mapInput(InputSchema.of(agent.definition()), messages, turn.text());
    boolean async = AsyncRequests.requested(request);
    RunCommand command = new RunCommand(agent.flowId(), agent.version(), input, Map.of("user_text", turn.text()),
        null, session, CHANNEL, turn.stream());
    // A turn nobody waits for is a background task, as on every other route (cancel/background-task finds it).
    PreparedRun prepared = runs.prepare(caller, agent, async ? command.inBackground() : command);
    Idempotency idempotency = Idempotency.of(request, body);
    HttpHeaders headers = EventStreams.headers();
    headers.set("x-flow-precharge", CreditService.format(credits.precharge()));
    // A retry of a turn that already started holds no credits again: it follows that turn.
    Optional<StartedRun> earlier = runs.earlier(caller, prepared, idempotency);
    Supplier<StartedRun> launch;
    if (earlier.isPresent()) {
      headers.set("x-flow-balance", CreditService.format(credits.balance(caller.orgId())));
      launch = earlier::get;
    } else {
      headers.set("x-flow-balance", CreditService.format(credits.hold(caller.orgId(), prepared.runId())));
      launch = () -> launch(caller, prepared, idempotency);
    }
    if (async) {
      StartedRun started = launch.get();
      ResponseEntity<Map<String, Object>> accepted =
          RunResponses.accepted(runRecords.find(caller.orgId(), started.runId()).orElseThrow(), Map.of());
      // The balance and pre-charge headers go with every answer, so a client that does not wait sees the cost too.
      HttpHeaders all = new HttpHeaders();
      all.addAll(accepted.getHeaders());
      all.set("x-flow-balance", headers.getFirst("x-flow-balance"));
      all.set("x-flow-precharge", headers.getFirst("x-flow-precharge"));
      return ResponseEntity.status(accepted.getStatusCode()).headers(all).body(accepted.getBody());
    }
    if (turn.stream()) {
      var run = streams.listenAndLaunch(caller.orgId(), prepared, launch);
      streams.stream(response, run,
          new AgentChatFormat(json, () -> CreditService.format(credits.balance(caller.orgId()))), headers,
          turn.onDisconnect());
      return null;
    }
    StartedRun started = launch.get();
    CompletedRun done;
    try {
      done = runs.await(started);
    } catch (RunWaitingException e) {
      // Paused for a person: the 202 says what it waits for, and carries the turn's credit headers too.
      ResponseEntity<Map<String, Object>> paused = responses.waiting(e);
      headers.remove(HttpHeaders.CACHE_CONTROL);
      headers.remove("X-Accel-Buffering");
      return ResponseEntity.status(paused.getStatusCode()).headers(paused.getHeaders()).headers(headers)
          .body(paused.getBody());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("content", done.result().text());
    // The tools that ran: a call a person denied has no output.
    out.put("tools", done.result().steps().stream().filter(step -> step.get("output") != null)
        .map(step -> step.get("tool")).toList());
    out.put("flow_balance_remaining", CreditService.format(credits.balance(caller.orgId())));
    headers.remove(HttpHeaders.CACHE_CONTROL);
    headers.remove("X-Accel-Buffering");
    headers.set("X-Run-Id", started.runId());
    return ResponseEntity.ok().headers(headers).body(out);
  }

  /**
   * Starts a held turn. Its hold is released when the start fails, or when the Idempotency-Key turns out to name a
   * turn a concurrent retry started first (that turn holds its own).
   */
  private StartedRun launch(Caller caller, PreparedRun prepared, Idempotency idempotency) {
    StartedRun started;
    try {
      started = runs.launch(caller, prepared, idempotency);
    } catch (ApiException e) {
      credits.release(caller.orgId(), prepared.runId());
      if (e.status() == HttpStatus.UNPROCESSABLE_CONTENT) throw e;
      throw new ApiException(HttpStatus.BAD_GATEWAY, "auto_redeploy_failed",
          "the agent's run could not be started: " + e.getMessage(), Map.of("run_id", prepared.runId()));
    }
    if (started.replayed()) credits.release(caller.orgId(), prepared.runId());
    return started;
  }

  /** A published flow of the caller's org: 410 when it was deleted, 404 when unknown or never published. */
  private ResolvedFlow agent(Caller caller, String slug) {
    if (flows.find(caller.orgId(), slug).isEmpty()) {
      if (flows.tombstoned(caller.orgId(), slug)) {
        throw new ApiException(HttpStatus.GONE, "agent_tombstoned", "agent '" + slug + "' was deleted");
      }
      throw ApiException.notFound("agent '" + slug + "'");
    }
    ResolvedFlow flow = flows.resolve(caller.orgId(), slug, null);
    if (flow.releaseId() == null) {
      throw new ApiException(HttpStatus.NOT_FOUND, "not_found",
          "agent '" + slug + "' has no published release: publish the flow to make it an agent");
    }
    return flow;
  }

  private List<Map<String, Object>> history(Caller caller, ResolvedFlow agent, String session) {
    List<Map<String, Object>> messages = new ArrayList<>();
    for (RunRecord past : runRecords.completedInSession(caller.orgId(), agent.flowId(), session, HISTORY_TURNS)) {
      Object said = past.metadata() == null ? null : past.metadata().get("user_text");
      if (said instanceof String text) messages.add(Map.of("role", "user", "content", text));
      if (past.outputText() != null) messages.add(Map.of("role", "assistant", "content", past.outputText()));
    }
    return messages;
  }

  /** One chat turn: {@code {"text": …}} or OpenAI-style {@code messages} (the last user message drives it). */
  record Turn(String text, boolean stream, OnDisconnect onDisconnect) {
    @SuppressWarnings("unchecked")
    static Turn parse(Map<String, Object> body) {
      Object stream = body.get("stream");
      if (stream != null && !(stream instanceof Boolean)) {
        throw ApiException.badRequest("invalid_request", "stream must be a boolean");
      }
      OnDisconnect onDisconnect = OnDisconnect.parse(body.get("on_disconnect"), "on_disconnect");
      String text;
      if (body.get("text") != null) {
        if (!(body.get("text") instanceof String t) || t.isBlank()) {
          throw ApiException.badRequest("invalid_request", "text must be a non-empty string");
        }
        text = t;
      } else if (body.get("messages") instanceof List<?> list && !list.isEmpty()) {
        for (Object m : list) {
          if (!(m instanceof Map)) throw ApiException.badRequest("invalid_request", "messages must be objects");
        }
        text = ChatInputs.lastUserMessage((List<Map<String, Object>>) list);
      } else {
        throw ApiException.badRequest("invalid_request", "send {\"text\": …} or a non-empty messages array");
      }
      return new Turn(text, !Boolean.FALSE.equals(stream), onDisconnect);
    }
  }
}
