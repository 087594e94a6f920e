package io.durableflows.api.completions;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.runs.Idempotency;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.streams.EventStreams;
import io.durableflows.api.streams.NativeEventFormat;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.llm.Usage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * 002's direct model calls. {@code chat} is a durable run of the built-in {@code llm-chat} flow (JSON, or the run's
 * event stream with {@code stream: true} or {@code Accept: text/event-stream}); {@code autocomplete} and
 * {@code recommend} are single-item completions.
 */
@RestController
@RequestMapping("/api/v1/llm")
class LlmController {
  private static final Set<String> CHAT_FIELDS = Set.of("messages", "prompt", "system", "model", "provider",
      "temperature", "max_tokens", "stream");
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");
  private final Completions completions;
  private final ChatFlow chatFlow;
  private final RunService runs;
  private final EventStreams streams;
  private final Json json;

  LlmController(Completions completions, ChatFlow chatFlow, RunService runs, EventStreams streams, Json json) {
    this.completions = completions;
    this.chatFlow = chatFlow;
    this.runs = runs;
    this.streams = streams;
    this.json = json;
  }

  @PostMapping("/chat")
  ResponseEntity<?> chat(Caller caller, @RequestBody Map<String, Object> body, HttpServletRequest request,
      HttpServletResponse response) {
    caller.require("runs:write");
    for (String key : body.keySet()) {
      if (!CHAT_FIELDS.contains(key)) {
        throw Completions.invalid(key, "is not a field of this request (" + CHAT_FIELDS.stream().sorted().toList() + ")");
      }
    }
    Object stream = body.get("stream");
    if (stream != null && !(stream instanceof Boolean)) throw Completions.invalid("stream", "must be true or false");
    Map<String, Object> input = chatInput(body);
    Map<String, Object> overrides = modelOverrides(body);
    RunCommand command = new RunCommand(chatFlow.flow().slug(), null, input, Map.of("route", "llm/chat"), overrides,
        null, "llm");
    Idempotency idempotency = Idempotency.of(request, body);
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (Boolean.TRUE.equals(stream) || (accept != null && accept.contains("text/event-stream"))) {
      var subscription = streams.startStreamed(caller, chatFlow.flow(), command, idempotency);
      streams.stream(response, subscription, new NativeEventFormat(json), EventStreams.headers(),
          EventStreams.OnDisconnect.CONTINUE);
      return null;
    }
    CompletedRun done = runs.runAndWait(caller, chatFlow.flow(), command, idempotency);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", done.runId());
    out.put("content", done.result().text());
    out.put("model", done.result().model());
    Usage usage = done.result().usage() == null ? Usage.ZERO : done.result().usage();
    out.put("usage", usage.fields());
    out.put("cost_usd", done.result().costUsd());
    out.putAll(RunResponses.links(done.runId()));
    return ResponseEntity.ok().header("X-Run-Id", done.runId()).body(out);
  }

  /** {@code {text|prefix, count?, candidates?, instructions?, temperature?, model?, provider?}}. */
  @PostMapping("/autocomplete")
  Map<String, Object> autocomplete(Caller caller, @RequestBody Map<String, Object> body) {
    String field = body.containsKey("prefix") && !body.containsKey("text") ? "prefix" : "text";
    if (!(body.get(field) instanceof String prefix) || prefix.isBlank()) {
      throw Completions.invalid("text", "is required: the text to complete (or send it as prefix)");
    }
    List<String> routeFields = List.of(field, "model", "provider");
    CompletionResult result = single(caller, CompletionOperations.AUTOCOMPLETE, prefix,
        Completions.options(body, routeFields), body);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("text", prefix);
    out.put("suggestions", result.output());
    out.put("usage", result.usage().fields());
    out.put("cost_usd", result.costUsd());
    return out;
  }

  /** {@code {item|text, count?, candidates?, instructions?, temperature?, model?, provider?}}. */
  @PostMapping("/recommend")
  Map<String, Object> recommend(Caller caller, @RequestBody Map<String, Object> body) {
    String field = body.containsKey("item") ? "item" : "text";
    Object item = body.get(field);
    if (item == null || item instanceof String s && s.isBlank()) {
      throw Completions.invalid("item", "is required: what to recommend for (text or an object; or send it as text)");
    }
    CompletionResult result = single(caller, CompletionOperations.RECOMMEND, item,
        Completions.options(body, List.of(field, "model", "provider")), body);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recommendations", result.output());
    out.put("usage", result.usage().fields());
    out.put("cost_usd", result.costUsd());
    return out;
  }

  /** One item; its error is the response's: the item's fault a 400, the model's a 502. */
  private CompletionResult single(Caller caller, String operation, Object item, Map<String, Object> options,
      Map<String, Object> body) {
    CompletionResult result = completions.run(caller, operation, options, List.of(item),
        Completions.optionalText(body, "provider"), Completions.optionalText(body, "model")).results().getFirst();
    if (result.ok()) return result;
    if (CompletionFailures.INVALID_ITEM.equals(result.error())) {
      throw ApiException.badRequest("invalid_request", result.message());
    }
    throw new ApiException(HttpStatus.BAD_GATEWAY, result.error(), result.message());
  }

  /** The flow's input: the last user message, the system prompt, and earlier turns as a transcript. */
  private static Map<String, Object> chatInput(Map<String, Object> body) {
    String system = Completions.optionalText(body, "system");
    Map<String, Object> input = new LinkedHashMap<>();
    if (body.get("prompt") != null) {
      if (body.get("messages") != null) throw Completions.invalid("messages", "send either prompt or messages");
      input.put("prompt", Completions.optionalText(body, "prompt"));
      if (system != null) input.put("system", system);
      return input;
    }
    if (!(body.get("messages") instanceof List<?> list) || list.isEmpty()) {
      throw Completions.invalid("messages", "is required (or prompt): [{\"role\": \"user\", \"content\": \"...\"}]");
    }
    List<String> systems = new ArrayList<>();
    if (system != null) systems.add(system);
    List<String> turns = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("role") instanceof String role) || !ROLES.contains(role)
          || !(m.get("content") instanceof String content)) {
        throw Completions.invalid("messages[" + i + "]", "must be {\"role\": \"system|user|assistant\", "
            + "\"content\": \"...\"}");
      }
      if (role.equals("system")) systems.add(content);
      else turns.add(role + ": " + content);
    }
    Map<?, ?> last = (Map<?, ?>) list.getLast();
    if (!"user".equals(last.get("role")) || ((String) last.get("content")).isBlank()) {
      throw Completions.invalid("messages", "the last message must be a non-empty user message");
    }
    input.put("prompt", last.get("content"));
    if (!systems.isEmpty()) input.put("system", String.join("\n\n", systems));
    turns.removeLast();
    // The llm node takes one prompt: earlier turns travel as a transcript before the last message.
    if (!turns.isEmpty()) input.put("history", "Conversation so far:\n" + String.join("\n", turns) + "\n\nuser: ");
    return input;
  }

  private static Map<String, Object> modelOverrides(Map<String, Object> body) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    String node = "node/" + ChatFlow.NODE + ".";
    String provider = Completions.optionalText(body, "provider");
    String model = Completions.optionalText(body, "model");
    if (provider != null) overrides.put(node + "provider", provider);
    if (model != null) overrides.put(node + "model", model);
    Object temperature = body.get("temperature");
    if (temperature != null) {
      if (!(temperature instanceof Number t) || t.doubleValue() < 0 || t.doubleValue() > 2) {
        throw Completions.invalid("temperature", "must be a number from 0 to 2");
      }
      overrides.put(node + "temperature", t.doubleValue());
    }
    Object maxTokens = body.get("max_tokens");
    if (maxTokens != null) {
      if (!(maxTokens instanceof Integer n) || n < 1 || n > 32_000) {
        throw Completions.invalid("max_tokens", "must be an integer from 1 to 32000");
      }
      overrides.put(node + "maxTokens", n);
    }
    return overrides;
  }
}
