package io.durableflows.activities.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local, scriptable server that speaks the OpenAI chat-completions wire protocol, for tests that exercise real
 * HTTP clients (langchain4j's OpenAI model, our {@code StatusCapturingHttpClient}) without a network or a key.
 *
 * <p>It binds {@code 127.0.0.1} on an ephemeral port and serves {@code POST /v1/chat/completions}; point a client
 * at {@link #baseUrl()} ({@code http://127.0.0.1:<port>/v1}). Self-contained: JDK {@code HttpServer} + Jackson 2.
 *
 * <pre>{@code
 * try (var stub = OpenAiStubServer.start()) {
 *   stub.enqueue(OpenAiStubServer.Reply.success("Hi!", 12, 3));      // first request
 *   stub.enqueue(OpenAiStubServer.Reply.rateLimited(3));             // second request: 429, Retry-After: 3
 *   stub.enqueue(OpenAiStubServer.Reply.error(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
 *   ... call the client with stub.baseUrl() ...
 *   assertThat(stub.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
 *   assertThat(stub.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o-mini");
 * }
 * }</pre>
 *
 * <p>Each request to the chat-completions path takes the next scripted {@link Reply} from the queue (FIFO); when
 * the queue is empty it answers a success that echoes the last user message ({@code "Echo: <text>"}). A success
 * reply is sent as a server-sent-event stream of {@code chat.completion.chunk}s ending in {@code data: [DONE]}
 * when the request has {@code "stream": true} (with a final usage chunk if
 * {@code stream_options.include_usage} is true); error replies are sent as plain JSON either way. Every request
 * received, on any path, is recorded ({@link #requests()}). Other paths answer 404 and other methods 405, both
 * with an OpenAI error body, without consuming the queue. Thread-safe; {@link #close()} stops the server and
 * interrupts replies still being delayed.
 */
public final class OpenAiStubServer implements AutoCloseable {
  /** The path the server answers, relative to the server root. */
  public static final String CHAT_COMPLETIONS_PATH = "/v1/chat/completions";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> cutShort = new CopyOnWriteArrayList<>();
  private final List<Long> cutShortNanos = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  private OpenAiStubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "openai-stub");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on {@code 127.0.0.1} and an ephemeral port. */
  public static OpenAiStubServer start() {
    try {
      return new OpenAiStubServer();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the OpenAI stub server", e);
    }
  }

  /** The OpenAI base URL to configure clients with: {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Queues replies for the next chat-completions requests, in order. Returns this server for chaining. */
  public OpenAiStubServer enqueue(Reply... replies) {
    for (Reply r : replies) script.add(Objects.requireNonNull(r, "reply"));
    return this;
  }

  /** How many scripted replies have not been served yet. */
  public int pendingReplies() {
    return script.size();
  }

  /** Every request received so far, oldest first (an immutable snapshot). */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The most recent request; fails if none was received. */
  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = requests();
    if (all.isEmpty()) throw new IllegalStateException("the stub received no request");
    return all.get(all.size() - 1);
  }

  /**
   * Streamed replies that stopped before {@code data: [DONE]} because the client went away (a write failed), as
   * a cancelled model call does: their requests, oldest first.
   */
  public List<RecordedRequest> streamsCutShort() {
    return List.copyOf(cutShort);
  }

  /** When ({@link System#nanoTime}) the stub found each of {@link #streamsCutShort} cut off, in the same order. */
  public List<Long> streamsCutShortAtNanos() {
    return List.copyOf(cutShortNanos);
  }

  /** Forgets recorded requests and drops the replies still queued. */
  public void reset() {
    script.clear();
    requests.clear();
    cutShort.clear();
    cutShortNanos.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------- serving

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(), Collections.unmodifiableMap(headers), body);
      requests.add(request);

      if (!CHAT_COMPLETIONS_PATH.equals(request.path())) {
        sendJson(exchange, 404, Map.of(), errorBody("Unknown request URL: " + request.method() + " "
            + request.path() + ".", "invalid_request_error", "unknown_url"));
        return;
      }
      if (!"POST".equalsIgnoreCase(request.method())) {
        sendJson(exchange, 405, Map.of("Allow", "POST"), errorBody("Method not allowed: " + request.method(),
            "invalid_request_error", "method_not_allowed"));
        return;
      }
      Reply reply = script.poll();
      if (reply == null) reply = Reply.success(null);
      if (!reply.delay.isZero() && !sleep(reply.delay)) return;
      serve(exchange, request, reply);
    } catch (IOException | RuntimeException e) {
      // The client went away (a timeout, a closed connection): nothing left to answer.
    }
  }

  private void serve(HttpExchange exchange, RecordedRequest request, Reply reply) throws IOException {
    if (reply.status < 200 || reply.status >= 300) {
      sendJson(exchange, reply.status, reply.headers, reply.rawBody != null ? reply.rawBody : errorBody(
          reply.errorMessage, reply.errorType, reply.errorCode));
      return;
    }
    if (reply.rawBody != null) {
      sendJson(exchange, reply.status, reply.headers, reply.rawBody);
      return;
    }
    JsonNode req = request.json();
    String model = reply.model != null ? reply.model : req.path("model").asText("gpt-4o-mini");
    List<String> chunks = reply.chunks != null ? reply.chunks
        : List.of(reply.content != null ? reply.content : "Echo: " + lastUserText(req));
    String content = String.join("", chunks);
    int promptTokens = reply.promptTokens >= 0 ? reply.promptTokens : Math.max(1, promptWords(req));
    int completionTokens = reply.completionTokens >= 0 ? reply.completionTokens : Math.max(1, words(content));
    String id = "chatcmpl-stub-" + ids.incrementAndGet();
    long created = Instant.now().getEpochSecond();

    if (req.path("stream").asBoolean(false)) {
      boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
      try {
        stream(exchange, reply, id, created, model, chunks, includeUsage, promptTokens, completionTokens);
      } catch (IOException clientGone) {
        cutShortNanos.add(System.nanoTime());
        cutShort.add(request);
        throw clientGone;
      }
      return;
    }
    ObjectNode completion = JSON.createObjectNode()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", model);
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (reply.toolCalls != null) {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCallReply call : reply.toolCalls) {
        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    } else {
      message.put("content", content);
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", reply.finishReason);
    completion.set("usage", usage(promptTokens, completionTokens));
    completion.put("system_fingerprint", "fp_stub");
    sendJson(exchange, reply.status, reply.headers, JSON.writeValueAsString(completion));
  }

  private void stream(HttpExchange exchange, Reply reply, String id, long created, String model,
      List<String> chunks, boolean includeUsage, int promptTokens, int completionTokens) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    reply.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status, 0); // chunked
    OutputStream out = exchange.getResponseBody();
    ObjectNode first = chunk(id, created, model);
    ObjectNode firstChoice = ((ArrayNode) first.get("choices")).addObject().put("index", 0);
    firstChoice.putObject("delta").put("role", "assistant").put("content", "").putNull("refusal");
    firstChoice.putNull("logprobs").putNull("finish_reason");
    event(out, JSON.writeValueAsString(first));
    for (String piece : chunks) {
      if (!reply.chunkDelay.isZero() && !sleep(reply.chunkDelay)) return;
      ObjectNode c = chunk(id, created, model);
      ObjectNode ch = ((ArrayNode) c.get("choices")).addObject().put("index", 0);
      ch.putObject("delta").put("content", piece);
      ch.putNull("logprobs").putNull("finish_reason");
      event(out, JSON.writeValueAsString(c));
    }
    if (reply.toolCalls != null) {
      for (int i = 0; i < reply.toolCalls.size(); i++) {
        ToolCallReply call = reply.toolCalls.get(i);
        String args = call.arguments();
        int half = args.length() / 2;
        String[] fragments = {"", args.substring(0, half), args.substring(half)};
        for (int f = 0; f < fragments.length; f++) {
          ObjectNode c = chunk(id, created, model);
          ObjectNode ch = ((ArrayNode) c.get("choices")).addObject().put("index", 0);
          ObjectNode tc = ch.putObject("delta").putArray("tool_calls").addObject().put("index", i);
          if (f == 0) tc.put("id", call.id()).put("type", "function");
          ObjectNode fn = tc.putObject("function");
          if (f == 0) fn.put("name", call.name());
          fn.put("arguments", fragments[f]);
          ch.putNull("logprobs").putNull("finish_reason");
          event(out, JSON.writeValueAsString(c));
        }
      }
    }
    ObjectNode last = chunk(id, created, model);
    ObjectNode lastChoice = ((ArrayNode) last.get("choices")).addObject().put("index", 0);
    lastChoice.putObject("delta");
    lastChoice.putNull("logprobs").put("finish_reason", reply.finishReason);
    event(out, JSON.writeValueAsString(last));
    if (includeUsage) {
      ObjectNode u = chunk(id, created, model);
      u.set("usage", usage(promptTokens, completionTokens));
      event(out, JSON.writeValueAsString(u));
    }
    event(out, "[DONE]");
  }

  private static ObjectNode chunk(String id, long created, String model) {
    ObjectNode c = JSON.createObjectNode()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put("system_fingerprint", "fp_stub");
    c.putArray("choices");
    return c;
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode usage(int promptTokens, int completionTokens) {
    return JSON.createObjectNode()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  private static void sendJson(HttpExchange exchange, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-request-id", "req_stub");
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String errorBody(String message, String type, String code) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("message", message).put("type", type).putNull("param");
    if (code == null) error.putNull("code");
    else error.put("code", code);
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastUserText(JsonNode req) {
    String text = "";
    for (JsonNode m : req.path("messages")) {
      if ("user".equals(m.path("role").asText())) text = contentText(m.path("content"));
    }
    return text;
  }

  private static int promptWords(JsonNode req) {
    int n = 0;
    for (JsonNode m : req.path("messages")) n += words(contentText(m.path("content")));
    return n;
  }

  /** A message's content is a string or an array of parts ({@code {"type":"text","text":...}}). */
  private static String contentText(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.has("text")) sb.append(sb.isEmpty() ? "" : " ").append(part.path("text").asText());
    }
    return sb.toString();
  }

  private static int words(String s) {
    String t = s == null ? "" : s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------- API types

  /** One tool call in a scripted answer: its id, the function's name and the raw arguments text. */
  public record ToolCallReply(String id, String name, String arguments) {}

  /** A request the server received. Header names are case-insensitive. */
  public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body parsed as JSON (an empty object for an empty body); fails on a body that is not JSON. */
    public JsonNode json() {
      if (body == null || body.isBlank()) return JSON.createObjectNode();
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("request body is not JSON: " + body, e);
      }
    }
  }

  /**
   * One scripted answer. Build with the static factories, then adjust with the {@code with...} methods (each
   * returns a copy): e.g. {@code Reply.success("Hi").withDelay(Duration.ofSeconds(5))}.
   */
  public static final class Reply {
    private final int status;
    private final Map<String, String> headers;
    private final Duration delay;
    // success
    private final String content;
    private final List<String> chunks;
    private final String model;
    private final String finishReason;
    private final int promptTokens;
    private final int completionTokens;
    private final Duration chunkDelay;
    // error
    private final String errorMessage;
    private final String errorType;
    private final String errorCode;
    // verbatim body
    private final String rawBody;
    // tool calls instead of content
    private final List<ToolCallReply> toolCalls;

    private Reply(int status, Map<String, String> headers, Duration delay, String content, List<String> chunks,
        String model, String finishReason, int promptTokens, int completionTokens, Duration chunkDelay,
        String errorMessage, String errorType, String errorCode, String rawBody, List<ToolCallReply> toolCalls) {
      this.status = status;
      this.headers = Map.copyOf(headers);
      this.delay = delay;
      this.content = content;
      this.chunks = chunks == null ? null : List.copyOf(chunks);
      this.model = model;
      this.finishReason = finishReason;
      this.promptTokens = promptTokens;
      this.completionTokens = completionTokens;
      this.chunkDelay = chunkDelay;
      this.errorMessage = errorMessage;
      this.errorType = errorType;
      this.errorCode = errorCode;
      this.rawBody = rawBody;
      this.toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    }

    /**
     * A 200 answer asking for these tool calls (several = parallel calls), finish_reason {@code tool_calls}:
     * {@code message.tool_calls} when not streaming; when streaming, each call's id and name in one chunk and its
     * arguments in two fragments, as OpenAI sends them. Arguments are sent verbatim, malformed JSON included.
     */
    public static Reply toolCalls(ToolCallReply... calls) {
      return new Reply(200, Map.of(), Duration.ZERO, null, List.of(), null, "tool_calls", -1, -1, Duration.ZERO,
          null, null, null, null, List.of(calls));
    }

    /**
     * A 200 {@code chat.completion} with this assistant content (null: echo the last user message). Usage is
     * counted as whitespace-separated words unless set with {@link #withUsage}; the model is the requested one
     * unless set with {@link #withModel}; finish_reason is {@code stop}.
     */
    public static Reply success(String content) {
      return new Reply(200, Map.of(), Duration.ZERO, content, null, null, "stop", -1, -1, Duration.ZERO, null,
          null, null, null, null);
    }

    /** A 200 {@code chat.completion} with this content and usage. */
    public static Reply success(String content, int promptTokens, int completionTokens) {
      return success(content).withUsage(promptTokens, completionTokens);
    }

    /**
     * A success whose content is these pieces: one {@code chat.completion.chunk} each when the request streams,
     * concatenated otherwise.
     */
    public static Reply streamed(String... chunks) {
      return new Reply(200, Map.of(), Duration.ZERO, null, List.of(chunks), null, "stop", -1, -1, Duration.ZERO,
          null, null, null, null, null);
    }

    /** An error status with OpenAI's error body {@code {"error":{"message","type","param","code"}}}. */
    public static Reply error(int status, String message, String type, String code) {
      return new Reply(status, Map.of(), Duration.ZERO, null, null, null, null, -1, -1, Duration.ZERO, message,
          type, code, null, null);
    }

    /** An error status with a typical OpenAI body for it (401 invalid key, 404 unknown model, 500, 503...). */
    public static Reply error(int status) {
      return switch (status) {
        case 400 -> error(400, "Invalid value for 'temperature': expected a number between 0 and 2.",
            "invalid_request_error", "invalid_value");
        case 401 -> error(401, "Incorrect API key provided. You can find your API key at "
            + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
        case 403 -> error(403, "You are not allowed to sample from this model", "invalid_request_error",
            "model_not_allowed");
        case 404 -> error(404, "The model `does-not-exist` does not exist or you do not have access to it.",
            "invalid_request_error", "model_not_found");
        case 429 -> error(429, "Rate limit reached for requests. Please try again later.", "requests",
            "rate_limit_exceeded");
        case 500 -> error(500, "The server had an error while processing your request. Sorry about that!",
            "server_error", null);
        case 503 -> error(503, "The engine is currently overloaded, please try again later.", "server_error",
            "overloaded");
        default -> error(status, "Stub error " + status, status >= 500 ? "server_error" : "invalid_request_error",
            null);
      };
    }

    /** A 429 rate-limit error with {@code Retry-After: <seconds>}. */
    public static Reply rateLimited(long retryAfterSeconds) {
      return error(429).withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** Any status with this body sent verbatim as {@code application/json} (e.g. a malformed body). */
    public static Reply raw(int status, String body) {
      return new Reply(status, Map.of(), Duration.ZERO, null, null, null, "stop", -1, -1, Duration.ZERO, null,
          null, null, Objects.requireNonNull(body, "body"), null);
    }

    /** Waits this long before sending the response headers (to trip client timeouts). */
    public Reply withDelay(Duration delay) {
      return new Reply(status, headers, Objects.requireNonNull(delay), content, chunks, model, finishReason,
          promptTokens, completionTokens, chunkDelay, errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    /** When streaming, waits this long before each content chunk. */
    public Reply withChunkDelay(Duration chunkDelay) {
      return new Reply(status, headers, delay, content, chunks, model, finishReason, promptTokens,
          completionTokens, Objects.requireNonNull(chunkDelay), errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    /** Adds (or replaces) a response header. */
    public Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, delay, content, chunks, model, finishReason, promptTokens, completionTokens,
          chunkDelay, errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    /** The model named in the response (default: the requested model). */
    public Reply withModel(String model) {
      return new Reply(status, headers, delay, content, chunks, model, finishReason, promptTokens,
          completionTokens, chunkDelay, errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    /** The choice's finish_reason ({@code stop}, {@code length}, {@code content_filter}...). */
    public Reply withFinishReason(String finishReason) {
      return new Reply(status, headers, delay, content, chunks, model, finishReason, promptTokens,
          completionTokens, chunkDelay, errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    /** The usage block's token counts. */
    public Reply withUsage(int promptTokens, int completionTokens) {
      return new Reply(status, headers, delay, content, chunks, model, finishReason, promptTokens,
          completionTokens, chunkDelay, errorMessage, errorType, errorCode, rawBody, toolCalls);
    }

    @Override
    public String toString() {
      return "Reply[status=" + status + (delay.isZero() ? "" : ", delay=" + delay)
          + (headers.isEmpty() ? "" : ", headers=" + headers) + "]";
    }
  }
}
