package io.durableflows.api.compat.flowapi;

import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.flow.InputVariable;
import io.durableflows.workflows.flow.NodeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference 000's per-flow docs, built from what a run of the flow executes: its input JSON Schema, each route
 * with an example request (curl and JSON body) and the response's shape, and an OpenAPI 3.1 fragment (paths and
 * components) for just this flow.
 */
final class FlowDocs {
  private static final String TEXT = "text/plain";
  private static final String JSON_TYPE = "application/json";

  private FlowDocs() {}

  static Map<String, Object> build(Json json, String baseUrl, String orgCode, ResolvedFlow flow) {
    Map<String, Object> inputSchema = InputSchema.of(flow.definition()).toJsonSchema();
    Map<String, Object> example = exampleInput(InputSchema.of(flow.definition()).variables());
    String base = "/api/llm/" + orgCode + "/flows/" + flow.slug();
    String outputShape = outputShape(flow);
    String component = componentName(flow.slug());

    Map<String, Object> runBody = new LinkedHashMap<>();
    runBody.put("input", example);
    runBody.put("stream", false);
    runBody.put("metadata", Map.of("session_id", "abc-123"));
    Map<String, Object> jsonLinesBody = new LinkedHashMap<>(Map.of("input", example));
    jsonLinesBody.put("stream", true);
    Map<String, Object> chatBody = new LinkedHashMap<>();
    chatBody.put("model", "durable-flow");
    chatBody.put("messages", List.of(Map.of("role", "user", "content", firstText(example))));

    List<Map<String, Object>> routes = new ArrayList<>();
    routes.add(route("run", "POST", base + "/run", "Runs the flow and answers with its output node's body.",
        curl(json, baseUrl + base + "/run", runBody, false), runBody, runResponse(outputShape)));
    routes.add(route("run_json_lines", "POST", base + "/run", "The same run streamed as JSON Lines (\"stream\": true).",
        curl(json, baseUrl + base + "/run", jsonLinesBody, true), jsonLinesBody, Map.of(
            "content_type", "application/x-ndjson",
            "lines", List.of(Map.of("type", "delta", "content", "string"),
                Map.of("type", "done", "run_id", "string", "status", "completed | failed | cancelled", "output",
                    "the run's output", "usage", Map.of("prompt_tokens", "integer", "completion_tokens", "integer",
                        "total_tokens", "integer"))))));
    routes.add(route("run_stream", "POST", base + "/run/stream", "The same run as server-sent events (OpenAI-style deltas).",
        curl(json, baseUrl + base + "/run/stream", Map.of("input", example), true), Map.of("input", example), Map.of(
            "content_type", "text/event-stream",
            "events", List.of("data: {\"choices\":[{\"delta\":{\"content\":\"…\"}}]}",
                "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{…}}", "data: [DONE]"))));
    routes.add(route("chat_completions", "POST", base + "/chat/completions",
        "OpenAI-compatible chat completion: the last user message becomes the flow's text input; \"stream\": true "
            + "answers chat.completion.chunk events.",
        curl(json, baseUrl + base + "/chat/completions", chatBody, false), chatBody,
        Map.of("content_type", JSON_TYPE, "schema", Map.of("$ref", "#/components/schemas/ChatCompletion"))));

    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> flowView = new LinkedHashMap<>();
    flowView.put("slug", flow.slug());
    flowView.put("name", flow.definition().name());
    flowView.put("description", flow.definition().description());
    flowView.put("version", flow.version());
    flowView.put("output_shape", outputShape);
    out.put("flow", flowView);
    out.put("input_schema", inputSchema);
    out.put("routes", routes);
    out.put("openapi", openApi(flow, base, component, inputSchema, example, outputShape));
    return out;
  }

  private static Map<String, Object> route(String name, String method, String path, String description, String curl,
      Object body, Map<String, Object> responseShape) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("method", method);
    r.put("path", path);
    r.put("description", description);
    r.put("example_request", Map.of("curl", curl, "json", body));
    r.put("response_shape", responseShape);
    return r;
  }

  private static Map<String, Object> runResponse(String outputShape) {
    return switch (outputShape) {
      case "raw" -> Map.of("content_type", TEXT, "schema", Map.of("type", "string"),
          "description", "the model's text, no envelope");
      case "openai_chat_completion" -> Map.of("content_type", JSON_TYPE,
          "schema", Map.of("$ref", "#/components/schemas/ChatCompletion"));
      default -> Map.of("content_type", JSON_TYPE, "schema", Map.of("type", "object"),
          "description", "the output node's JSON template, rendered");
    };
  }

  private static String curl(Json json, String url, Object body, boolean stream) {
    return "curl " + (stream ? "-N " : "") + "-X POST '" + url + "' \\\n  -H \"Authorization: Bearer $DF_TOKEN\" \\\n"
        + "  -H 'Content-Type: application/json' \\\n  -d '" + json.write(body).replace("'", "'\\''") + "'";
  }

  private static String outputShape(ResolvedFlow flow) {
    var outputs = flow.definition().nodesOfType(NodeKind.OUTPUT.type());
    return outputs.isEmpty() || !(outputs.get(0).data().get("shape") instanceof String s) ? "raw" : s;
  }

  static Map<String, Object> exampleInput(List<InputVariable> variables) {
    Map<String, Object> example = new LinkedHashMap<>();
    for (InputVariable v : variables) {
      Object value;
      if (v.defaultValue() != null) value = v.defaultValue();
      else if (v.enumValues() != null && !v.enumValues().isEmpty()) value = v.enumValues().get(0);
      else value = switch (v.type()) {
        case "number" -> 1.5;
        case "integer" -> 1;
        case "boolean" -> true;
        case "object" -> Map.of();
        case "array" -> List.of();
        default -> "example " + v.name().replace('_', ' ');
      };
      example.put(v.name(), value);
    }
    return example;
  }

  private static String firstText(Map<String, Object> example) {
    return example.values().stream().filter(String.class::isInstance).map(String.class::cast).findFirst()
        .orElse("Hello");
  }

  static String componentName(String slug) {
    StringBuilder out = new StringBuilder();
    for (String part : slug.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.length() == 0 || !Character.isLetter(out.charAt(0)) ? "Flow" + out : out.toString();
  }

  private static Map<String, Object> openApi(ResolvedFlow flow, String base, String component,
      Map<String, Object> inputSchema, Map<String, Object> example, String outputShape) {
    Map<String, Object> input = new LinkedHashMap<>(inputSchema);
    input.remove("$schema");
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put(component + "Input", input);
    schemas.put(component + "RunRequest", obj(Map.of(
        "input", ref(component + "Input"),
        "stream", Map.of("type", "boolean", "description", "true: JSON Lines instead of one body"),
        "metadata", Map.of("type", "object", "description", "free-form, logged with the run")), List.of("input")));
    schemas.put("ChatCompletionRequest", obj(Map.of(
        "model", Map.of("type", "string"),
        "messages", Map.of("type", "array", "items", obj(Map.of(
            "role", Map.of("type", "string"), "content", Map.of("type", "string")), List.of("role", "content"))),
        "stream", Map.of("type", "boolean")), List.of("messages")));
    schemas.put("ChatCompletion", obj(Map.of(
        "id", Map.of("type", "string"),
        "object", Map.of("const", "chat.completion"),
        "created", Map.of("type", "integer"),
        "model", Map.of("type", "string"),
        "choices", Map.of("type", "array", "items", obj(Map.of(
            "index", Map.of("type", "integer"),
            "message", obj(Map.of("role", Map.of("type", "string"), "content", Map.of("type", "string")), List.of()),
            "finish_reason", Map.of("type", "string")), List.of())),
        "usage", ref("Usage")), List.of("id", "object", "choices")));
    schemas.put("Usage", obj(Map.of("prompt_tokens", Map.of("type", "integer"),
        "completion_tokens", Map.of("type", "integer"), "total_tokens", Map.of("type", "integer")), List.of()));
    schemas.put("Error", obj(Map.of("error", Map.of("type", "string"), "message", Map.of("type", "string"),
        "details", Map.of("type", "array", "items", Map.of("type", "object"))), List.of("error", "message")));

    Map<String, Object> runContent = switch (outputShape) {
      case "raw" -> Map.of(TEXT, Map.of("schema", Map.of("type", "string")));
      case "openai_chat_completion" -> Map.of(JSON_TYPE, Map.of("schema", ref("ChatCompletion")));
      default -> Map.of(JSON_TYPE, Map.of("schema", Map.of("type", "object")));
    };
    Map<String, Object> runExample = Map.of("input", example);
    Map<String, Object> paths = new LinkedHashMap<>();
    paths.put(base + "/run", Map.of("post", operation("run" + component, "Run " + flow.slug(),
        ref(component + "RunRequest"), runExample, Map.of("200", Map.of("description", "the output node's body",
            "content", runContent)))));
    paths.put(base + "/run/stream", Map.of("post", operation("stream" + component, "Run " + flow.slug() + " as SSE",
        ref(component + "RunRequest"), runExample, Map.of("200", Map.of("description", "server-sent events, then [DONE]",
            "content", Map.of("text/event-stream", Map.of("schema", Map.of("type", "string"))))))));
    paths.put(base + "/chat/completions", Map.of("post", operation("chat" + component,
        "OpenAI-compatible chat completion with " + flow.slug(), ref("ChatCompletionRequest"),
        Map.of("model", "durable-flow", "messages", List.of(Map.of("role", "user", "content", firstText(example)))),
        Map.of("200", Map.of("description", "a chat.completion (or chunks when stream is true)",
            "content", Map.of(JSON_TYPE, Map.of("schema", ref("ChatCompletion"))))))));

    Map<String, Object> components = new LinkedHashMap<>();
    components.put("schemas", schemas);
    components.put("securitySchemes", Map.of("bearerAuth", Map.of("type", "http", "scheme", "bearer",
        "description", "an organization API token")));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("title", "Flow " + flow.slug());
    info.put("version", flow.version());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put("info", info);
    doc.put("security", List.of(Map.of("bearerAuth", List.of())));
    doc.put("paths", paths);
    doc.put("components", components);
    return doc;
  }

  private static Map<String, Object> operation(String id, String summary, Map<String, Object> bodySchema,
      Object example, Map<String, Object> okResponses) {
    Map<String, Object> responses = new LinkedHashMap<>(okResponses);
    Map<String, Object> error = Map.of(JSON_TYPE, Map.of("schema", ref("Error")));
    responses.put("400", Map.of("description", "bad input (details name each field)", "content", error));
    responses.put("401", Map.of("description", "missing or revoked token", "content", error));
    responses.put("404", Map.of("description", "unknown flow or organization", "content", error));
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", id);
    op.put("summary", summary);
    op.put("requestBody", Map.of("required", true, "content", Map.of(JSON_TYPE,
        Map.of("schema", bodySchema, "example", example))));
    op.put("responses", responses);
    return op;
  }

  private static Map<String, Object> ref(String name) {
    return Map.of("$ref", "#/components/schemas/" + name);
  }

  private static Map<String, Object> obj(Map<String, Object> properties, List<String> required) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "object");
    o.put("properties", new LinkedHashMap<>(properties));
    if (!required.isEmpty()) o.put("required", required);
    return o;
  }
}
