package io.durableflows.api.compat.flowapi;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.compat.ChatInputs;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.EventStreams.OnDisconnect;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.run.ChatCompletions;
import io.durableflows.workflows.run.RunResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reference 000: one endpoint per flow, and an OpenAI-compatible chat/completions beside it. */
@RestController
@RequestMapping("/api/llm/{orgCode}/flows/{slug}")
class FlowApiController {
  private final RunService runs;
  private final FlowService flows;
  private final EventStreams streams;
  private final Json json;

  FlowApiController(RunService runs, FlowService flows, EventStreams streams, Json json) {
    this.runs = runs;
    this.flows = flows;
    this.streams = streams;
    this.json = json;
  }

  /** {@code on_disconnect}: "continue" (default) or "cancel" the run when a streaming client goes away. */
  record RunBody(Map<String, Object> input, Boolean stream, Map<String, Object> metadata, String on_disconnect) {}

  /**
   * {@code Prefer: respond-async} (or {@code ?async=true}) answers 202 at once with where to follow the run; an
   * {@code Idempotency-Key} makes a retried request get the run the first one started.
   */
  @PostMapping("/run")
  ResponseEntity<?> run(Caller caller, @PathVariable String orgCode, @PathVariable String slug,
      @RequestBody RunBody body, HttpServletRequest request, HttpServletResponse response) {
    RunCommand command = command(caller, orgCode, slug, body);
    Idempotency idempotency = Idempotency.of(request, body);
    if (AsyncRequests.requested(request)) {
      return RunResponses.accepted(
          runs.startInBackground(caller, flows.resolve(caller.orgId(), slug, null), command, idempotency), Map.of());
    }
    if (Boolean.TRUE.equals(body.stream())) {
      OnDisconnect onDisconnect = OnDisconnect.parse(body.on_disconnect(), "on_disconnect");
      var run = streams.startStreamed(caller, flows.resolve(caller.orgId(), slug, null), command, idempotency);
      streams.stream(response, run, new FlowApiFormats.JsonLines(json, run.runId()), EventStreams.headers(),
          onDisconnect);
      return null;
    }
    CompletedRun run = runs.runAndWait(caller, command, idempotency);
    RunResult result = run.result();
    if ("raw".equals(result.shape())) {
      return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
          .header("X-Run-Id", run.runId()).body(String.valueOf(result.output()));
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Run-Id", run.runId())
        .body(result.output());
  }

  /** {@code /run/stream}: the same run, streamed as server-sent events (reference 000). */
  @PostMapping("/run/stream")
  ResponseEntity<?> runStream(Caller caller, @PathVariable String orgCode, @PathVariable String slug,
      @RequestBody RunBody body, HttpServletRequest request, HttpServletResponse response) {
    RunCommand command = command(caller, orgCode, slug, body);
    Idempotency idempotency = Idempotency.of(request, body);
    ResolvedFlow flow = flows.resolve(caller.orgId(), slug, null);
    if (AsyncRequests.requested(request)) {
      return RunResponses.accepted(runs.startInBackground(caller, flow, command, idempotency), Map.of());
    }
    OnDisconnect onDisconnect = OnDisconnect.parse(body.on_disconnect(), "on_disconnect");
    var run = streams.startStreamed(caller, flow, command, idempotency);
    streams.stream(response, run, new FlowApiFormats.Sse(json), EventStreams.headers(), onDisconnect);
    return null;
  }

  private static RunCommand command(Caller caller, String orgCode, String slug, RunBody body) {
    caller.requireOrg(orgCode);
    if (body.input() == null) {
      throw ApiException.badRequest("invalid_request", "input is required: an object keyed by the flow's input variables");
    }
    return new RunCommand(slug, null, body.input(), body.metadata(), null, null, "flow_api");
  }

  /** OpenAI's request; only what maps onto a flow is read, the rest is accepted and ignored as OpenAI does. */
  record ChatRequest(String model, List<Map<String, Object>> messages, Boolean stream,
      Map<String, Object> stream_options, String on_disconnect) {}

  @PostMapping("/chat/completions")
  ResponseEntity<?> chatCompletions(Caller caller, @PathVariable String orgCode, @PathVariable String slug,
      @RequestBody ChatRequest body, HttpServletRequest request, HttpServletResponse response) {
    caller.requireOrg(orgCode);
    if (body.messages() == null || body.messages().isEmpty()) {
      throw ApiException.badRequest("invalid_request", "messages is required: a non-empty array");
    }
    String userText = ChatInputs.lastUserMessage(body.messages());
    caller.require("runs:write");
    ResolvedFlow flow = flows.resolve(caller.orgId(), slug, null);
    Map<String, Object> input = ChatInputs.mapInput(InputSchema.of(flow.definition()), body.messages(), userText);
    RunCommand command = new RunCommand(slug, null, input, null, null, null, "openai");
    Idempotency idempotency = Idempotency.of(request, body);
    if (AsyncRequests.requested(request)) {
      return RunResponses.accepted(runs.startInBackground(caller, flow, command, idempotency), Map.of());
    }
    if (Boolean.TRUE.equals(body.stream())) {
      OnDisconnect onDisconnect = OnDisconnect.parse(body.on_disconnect(), "on_disconnect");
      boolean includeUsage = body.stream_options() != null
          && Boolean.TRUE.equals(body.stream_options().get("include_usage"));
      var run = streams.startStreamed(caller, flow, command, idempotency);
      String model = body.model() == null || body.model().isBlank() ? slug : body.model();
      var format = new FlowApiFormats.OpenAiChunks(json, "flowrun_" + run.runId(), Instant.now().getEpochSecond(),
          model, includeUsage);
      streams.stream(response, run, format, EventStreams.headers(), onDisconnect);
      return null;
    }
    CompletedRun run = runs.runAndWait(caller, flow, command, idempotency);
    RunResult result = run.result();
    // Created when the run was: a retry with the same Idempotency-Key gets the same completion, byte for byte.
    Object completion = "openai_chat_completion".equals(result.shape())
        ? result.output()
        : ChatCompletions.of("flowrun_" + run.runId(), runs.record(caller, run).createdAt().toEpochSecond(),
            result.model(), result.text(), "stop", result.usage());
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Run-Id", run.runId())
        .body(completion);
  }
}
