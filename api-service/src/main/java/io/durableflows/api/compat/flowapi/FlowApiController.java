package io.durableflows.api.compat.flowapi;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InputVariable;
import io.durableflows.workflows.run.ChatCompletions;
import io.durableflows.workflows.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
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
  private static final List<String> MESSAGE_VARIABLES = List.of("question", "message", "text", "prompt", "input", "query");
  private final RunService runs;
  private final FlowService flows;

  FlowApiController(RunService runs, FlowService flows) {
    this.runs = runs;
    this.flows = flows;
  }

  record RunBody(Map<String, Object> input, Boolean stream, Map<String, Object> metadata) {}

  @PostMapping("/run")
  ResponseEntity<Object> run(Caller caller, @PathVariable String orgCode, @PathVariable String slug,
      @RequestBody RunBody body) {
    caller.requireOrg(orgCode);
    if (body.input() == null) {
      throw ApiException.badRequest("invalid_request", "input is required: an object keyed by the flow's input variables");
    }
    if (Boolean.TRUE.equals(body.stream())) {
      throw ApiException.badRequest("streaming_not_supported",
          "JSON Lines streaming is not available yet; send \"stream\": false");
    }
    CompletedRun run = runs.runAndWait(caller,
        new RunCommand(slug, null, body.input(), body.metadata(), null, null, "flow_api"));
    RunResult result = run.result();
    if ("raw".equals(result.shape())) {
      return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
          .header("X-Run-Id", run.runId()).body(String.valueOf(result.output()));
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Run-Id", run.runId())
        .body(result.output());
  }

  /** OpenAI's request; only what maps onto a flow is read, the rest is accepted and ignored as OpenAI does. */
  record ChatRequest(String model, List<Map<String, Object>> messages, Boolean stream) {}

  @PostMapping("/chat/completions")
  ResponseEntity<Object> chatCompletions(Caller caller, @PathVariable String orgCode, @PathVariable String slug,
      @RequestBody ChatRequest body) {
    caller.requireOrg(orgCode);
    if (Boolean.TRUE.equals(body.stream())) {
      throw ApiException.badRequest("streaming_not_supported",
          "streaming chat completions are not available yet; send \"stream\": false");
    }
    if (body.messages() == null || body.messages().isEmpty()) {
      throw ApiException.badRequest("invalid_request", "messages is required: a non-empty array");
    }
    String userText = lastUserMessage(body.messages());
    caller.require("runs:write");
    ResolvedFlow flow = flows.resolve(caller.orgId(), slug, null);
    Map<String, Object> input = mapInput(InputSchema.of(flow.definition()), body.messages(), userText);
    CompletedRun run = runs.runAndWait(caller, flow, new RunCommand(slug, null, input, null, null, null, "openai"));
    RunResult result = run.result();
    Object completion = "openai_chat_completion".equals(result.shape())
        ? result.output()
        : ChatCompletions.of("flowrun_" + run.runId(), Instant.now().getEpochSecond(),
            result.model(), result.text(), "stop", result.usage());
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Run-Id", run.runId())
        .body(completion);
  }

  private static String lastUserMessage(List<Map<String, Object>> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      Map<String, Object> m = messages.get(i);
      if (m != null && "user".equals(m.get("role"))) {
        Object content = m.get("content");
        if (content instanceof String s) return s;
        if (content instanceof List<?> parts) {
          StringBuilder text = new StringBuilder();
          for (Object part : parts) {
            if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("text") instanceof String t) {
              text.append(t);
            }
          }
          return text.toString();
        }
        throw ApiException.badRequest("invalid_request", "messages[" + i + "].content must be a string or text parts");
      }
    }
    throw ApiException.badRequest("invalid_request", "messages must contain a user message");
  }

  /**
   * The last user message goes to the flow's text variable (one named question, message, text, prompt, input or
   * query; else the first string variable); a variable named {@code messages} of type array gets the history.
   */
  private static Map<String, Object> mapInput(InputSchema schema, List<Map<String, Object>> messages, String userText) {
    InputVariable target = null;
    for (String name : MESSAGE_VARIABLES) {
      for (InputVariable v : schema.variables()) {
        if (target == null && v.name().equals(name) && "string".equals(v.type())) target = v;
      }
    }
    for (InputVariable v : schema.variables()) {
      if (target == null && "string".equals(v.type())) target = v;
    }
    if (target == null) {
      throw ApiException.badRequest("unsupported_flow",
          "this flow has no string input variable to receive the user message");
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put(target.name(), userText);
    for (InputVariable v : schema.variables()) {
      if (v.name().equals("messages") && "array".equals(v.type())) input.put("messages", messages);
    }
    return input;
  }
}
