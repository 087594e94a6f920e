package io.durableflows.activities.tools.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.secrets.SecretSource;
import io.durableflows.activities.secrets.SecretsCipher;
import io.durableflows.workflows.flow.Templates;
import io.durableflows.workflows.tools.HttpToolConfig;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import javax.net.ssl.SSLException;

/**
 * Runs an HTTP tool: renders its request from the call's arguments and the org's secrets, checks every hop with
 * the {@link AddressGuard}, follows at most {@value #MAX_REDIRECTS} redirects itself, reads at most
 * {@code maxResponseBytes} of the answer and returns {@code {status, headers, body, truncated}} (the body parsed
 * when it is JSON). Failures are typed for the tool retry policy: 4xx, a refused address, a bad definition or an
 * unknown secret fail at once; 408, 429, 5xx, timeouts and unreachable hosts are retried.
 *
 * <p>Secrets live only in this call's memory: they are never in the result, a failure message or a log line, and
 * a value the server echoes back is replaced by {@value #REDACTED}.
 *
 * <p>Residual DNS-rebinding risk: the guard resolves the host and checks every address, then the JDK client
 * resolves it again to connect (it cannot be handed an address while keeping the Host header and TLS name). The
 * JVM caches successful lookups (30 s by default, {@code networkaddress.cache.ttl}), so the second lookup normally
 * returns the checked answer; a record that changes exactly when that cache entry expires could still slip
 * through. Deployments that need more should also restrict egress at the network level.
 */
public final class HttpToolExecutor {
  public static final int MAX_REDIRECTS = 5;
  static final String REDACTED = "[secret]";
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final List<String> KEPT_HEADERS = List.of("content-type", "content-length", "etag", "last-modified",
      "retry-after", "location", "x-request-id");
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecretSource secrets;
  private final HostRules workerRules;
  private final AddressGuard guard;
  private final HttpClient client;

  public HttpToolExecutor(SecretSource secrets, HostRules workerRules, AddressGuard guard) {
    this.secrets = secrets;
    this.workerRules = workerRules;
    this.guard = guard;
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(HttpToolConfig.MAX_TIMEOUT)
        .build();
  }

  /** What the tool returned: the output the run keeps and the text the model reads. */
  public record Result(Object output, String text) {}

  /**
   * The call's limits, tightened by a dry run's budget, and what to do every {@link #WAIT_SLICE} while waiting for
   * the endpoint: the activity heartbeats there, which is how a cancelled run reaches a slow call.
   */
  public record Budget(int maxResponseBytes, Duration timeout, Runnable whileWaiting) {
    public static final Budget NONE =
        new Budget(HttpToolConfig.MAX_RESPONSE_BYTES, HttpToolConfig.MAX_TIMEOUT, () -> {});

    public Budget(int maxResponseBytes, Duration timeout) {
      this(maxResponseBytes, timeout, () -> {});
    }

    public Budget whileWaiting(Runnable action) {
      return new Budget(maxResponseBytes, timeout, action);
    }
  }

  static final Duration WAIT_SLICE = Duration.ofMillis(400);

  /** {@code org} names the org whose secrets the tool may use; it is asked only when the tool uses secrets. */
  public Result run(Supplier<String> org, ToolDefinition definition, Map<String, Object> arguments, Budget budget) {
    List<String> problems = HttpToolConfig.problems(definition.http());
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("HTTP tool '" + definition.name() + "' is not usable: http."
          + String.join("; http.", problems), ToolFailures.INVALID_DEFINITION);
    }
    HttpToolConfig config = HttpToolConfig.parse(definition.http());
    List<String> secretNames = config.secretNames();
    Map<String, String> secretValues = resolveSecrets(secretNames.isEmpty() ? null : org.get(), secretNames);
    Redactor redactor = new Redactor(secretValues.values());
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("args", arguments);
    context.put("secrets", new LinkedHashMap<String, Object>(secretValues));
    HostRules toolRules;
    try {
      toolRules = HostRules.parse(config.allowHosts());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("http.allowHosts: " + e.getMessage(),
          ToolFailures.INVALID_DEFINITION);
    }
    int maxBytes = Math.min(config.maxResponseBytes(), budget.maxResponseBytes());
    Duration timeout = config.timeout().compareTo(budget.timeout()) < 0 ? config.timeout() : budget.timeout();

    URI uri = renderUrl(config.url(), context, redactor);
    Map<String, String> headers = new LinkedHashMap<>();
    config.headers().forEach((name, template) -> {
      String value = Templates.render(template, context);
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw ApplicationFailure.newNonRetryableFailure("header " + name + " would span lines once rendered",
            ToolFailures.INVALID_DEFINITION);
      }
      headers.put(name, value);
    });
    byte[] body = null;
    if (config.body() != null) {
      Object rendered = Templates.renderJson(config.body(), context);
      if (rendered instanceof String s) {
        body = s.getBytes(StandardCharsets.UTF_8);
        putIfAbsent(headers, "Content-Type", "text/plain; charset=utf-8");
      } else {
        try {
          body = JSON.writeValueAsBytes(rendered);
        } catch (JsonProcessingException e) {
          throw ApplicationFailure.newNonRetryableFailure("the body is not JSON-serialisable",
              ToolFailures.INVALID_DEFINITION);
        }
        putIfAbsent(headers, "Content-Type", "application/json");
      }
    }
    putIfAbsent(headers, "Accept", "application/json, text/plain;q=0.9, */*;q=0.5");
    putIfAbsent(headers, "User-Agent", "durable-flows-tool/1");
    try {
      return exchange(config.method(), uri, headers, body, maxBytes, timeout, workerRules, toolRules, redactor,
          budget.whileWaiting());
    } catch (ApplicationFailure f) {
      // Every message names the URL, whose path or query may carry a secret: the last word on redaction.
      String message = redactor.apply(f.getOriginalMessage());
      if (message.equals(f.getOriginalMessage())) throw f;
      throw ApplicationFailure.newBuilder(f).setMessage(message).build();
    }
  }

  private Map<String, String> resolveSecrets(String orgId, List<String> names) {
    Map<String, String> values = new LinkedHashMap<>();
    if (names.isEmpty()) return values;
    if (orgId == null) {
      throw ApplicationFailure.newNonRetryableFailure("secret '" + names.getFirst()
          + "' cannot be read: the call belongs to no known organization", ToolFailures.SECRET_NOT_FOUND);
    }
    for (String name : names) {
      try {
        values.put(name, secrets.value(orgId, name).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "secret '" + name + "' is not set for this organization (PUT /api/v1/secrets/" + name + ")",
            ToolFailures.SECRET_NOT_FOUND)));
      } catch (SecretsCipher.UnreadableSecretException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ToolFailures.SECRET_NOT_FOUND);
      }
    }
    return values;
  }

  /** The URL with each placeholder's value percent-encoded (so arguments stay inside their path segment or value). */
  private static URI renderUrl(String template, Map<String, Object> context, Redactor redactor) {
    Matcher m = Templates.PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = Templates.render(m.group(), context);
      m.appendReplacement(out, Matcher.quoteReplacement(
          URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
    }
    m.appendTail(out);
    try {
      URI uri = new URI(out.toString());
      if (uri.getHost() == null) throw new URISyntaxException(out.toString(), "no host");
      return uri;
    } catch (URISyntaxException e) {
      throw ApplicationFailure.newNonRetryableFailure("the URL is not valid once rendered: "
          + redactor.apply(e.getReason()), ToolFailures.INVALID_DEFINITION);
    }
  }

  private Result exchange(String method, URI first, Map<String, String> headers, byte[] body, int maxBytes,
      Duration timeout, HostRules workerRules, HostRules toolRules, Redactor redactor, Runnable whileWaiting) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = first;
    String verb = method;
    byte[] payload = body;
    Map<String, String> sent = new LinkedHashMap<>(headers);
    for (int hop = 0; ; hop++) {
      try {
        guard.check(uri, workerRules, toolRules);
      } catch (AddressGuard.Blocked e) {
        throw ApplicationFailure.newNonRetryableFailure(redactor.apply(e.getMessage())
            + (hop > 0 ? " (reached by a redirect from " + describe(first) + ")" : ""), ToolFailures.TOOL_BLOCKED);
      } catch (UnknownHostException e) {
        throw ApplicationFailure.newFailure("cannot resolve " + uri.getHost(), ToolFailures.HTTP_TOOL_UNAVAILABLE);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) throw timedOut(verb, uri, timeout);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(remaining))
          .method(verb, payload == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(payload));
      sent.forEach(request::header);
      HttpResponse<Capped> response =
          send(request.build(), maxBytes, remaining, verb, uri, timeout, redactor, whileWaiting);
      int status = response.statusCode();
      var location = response.headers().firstValue("location");
      if (REDIRECTS.contains(status) && location.isPresent()) {
        if (hop == MAX_REDIRECTS) {
          throw ApplicationFailure.newNonRetryableFailure(verb + " " + describe(first) + ": more than "
              + MAX_REDIRECTS + " redirects", ToolFailures.HTTP_TOOL_ERROR);
        }
        URI next;
        try {
          next = uri.resolve(new URI(location.get().strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw ApplicationFailure.newNonRetryableFailure(verb + " " + describe(uri)
              + ": redirected to an invalid URL", ToolFailures.HTTP_TOOL_ERROR);
        }
        if (status == 303 || ((status == 301 || status == 302) && !verb.equals("GET"))) {
          verb = "GET";
          payload = null;
          sent.keySet().removeIf(h -> h.equalsIgnoreCase("content-type"));
        }
        if (!sameOrigin(uri, next)) {
          // Credentials and secrets were meant for the first origin only.
          sent.entrySet().removeIf(h -> CREDENTIAL_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))
              || redactor.touches(h.getValue()));
        }
        uri = next;
        continue;
      }
      return result(verb, uri, response, maxBytes, redactor);
    }
  }

  private HttpResponse<Capped> send(HttpRequest request, int maxBytes, long remainingNanos, String verb, URI uri,
      Duration timeout, Redactor redactor, Runnable whileWaiting) {
    CompletableFuture<HttpResponse<Capped>> future = client.sendAsync(request,
        info -> new CappedBody(REDIRECTS.contains(info.statusCode()) ? Math.min(maxBytes, 8192) : maxBytes));
    long deadline = System.nanoTime() + remainingNanos;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new TimeoutException();
        try {
          return future.get(Math.min(left, WAIT_SLICE.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slice) {
          if (deadline - System.nanoTime() <= 0) throw slice;
          try {
            whileWaiting.run();
          } catch (RuntimeException cancelled) {
            // The run was cancelled (or the activity timed out): stop waiting for an answer nobody will read.
            future.cancel(true);
            throw cancelled;
          }
        }
      }
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(verb, uri, timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while calling " + describe(uri),
          ToolFailures.HTTP_TOOL_UNAVAILABLE);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) throw timedOut(verb, uri, timeout);
      if (cause instanceof SSLException) {
        throw ApplicationFailure.newNonRetryableFailure(verb + " " + describe(uri) + ": TLS failed ("
            + redactor.apply(String.valueOf(cause.getMessage())) + ")", ToolFailures.HTTP_TOOL_ERROR);
      }
      String why = cause instanceof ConnectException ? "could not connect" : cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + redactor.apply(cause.getMessage()));
      throw ApplicationFailure.newFailure(verb + " " + describe(uri) + ": " + why,
          ToolFailures.HTTP_TOOL_UNAVAILABLE);
    }
  }

  private static ApplicationFailure timedOut(String verb, URI uri, Duration timeout) {
    return ApplicationFailure.newFailure(verb + " " + describe(uri) + ": no answer within " + timeout.toMillis()
        + " ms", ToolFailures.HTTP_TOOL_UNAVAILABLE);
  }

  private static Result result(String verb, URI uri, HttpResponse<Capped> response, int maxBytes,
      Redactor redactor) {
    int status = response.statusCode();
    Capped capped = response.body();
    String contentType = response.headers().firstValue("content-type").orElse("");
    String text = redactor.apply(new String(capped.bytes(), charset(contentType)));
    if (status < 200 || status >= 300) {
      String excerpt = text.length() > 500 ? text.substring(0, 500) + "…" : text;
      String message = verb + " " + describe(uri) + " answered " + status + (excerpt.isBlank() ? "" : ": " + excerpt);
      if (status == 408 || status == 429 || status >= 500) {
        Duration delay = status == 429 || status == 503
            ? retryAfter(response.headers().firstValue("retry-after").orElse(null)) : null;
        throw delay == null ? ApplicationFailure.newFailure(message, ToolFailures.HTTP_TOOL_UNAVAILABLE)
            : ApplicationFailure.newFailureWithCauseAndDelay(message, ToolFailures.HTTP_TOOL_UNAVAILABLE, null, delay);
      }
      throw ApplicationFailure.newNonRetryableFailure(message, ToolFailures.HTTP_TOOL_ERROR);
    }
    Map<String, Object> headers = new LinkedHashMap<>();
    for (String name : KEPT_HEADERS) {
      response.headers().firstValue(name).ifPresent(v -> headers.put(name, redactor.apply(v)));
    }
    Object body = text;
    if (!capped.truncated() && isJson(contentType) && !text.isBlank()) {
      try {
        body = JSON.readValue(text, Object.class);
      } catch (JsonProcessingException e) {
        body = text;
      }
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("status", status);
    output.put("headers", headers);
    output.put("body", body);
    output.put("truncated", capped.truncated());
    String forModel = capped.truncated() ? text + "\n[response truncated at " + maxBytes + " bytes]" : text;
    return new Result(output, forModel);
  }

  static boolean isJson(String contentType) {
    String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || mime.endsWith("+json");
  }

  private static Charset charset(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        try {
          return Charset.forName(p.substring(8).replace("\"", "").strip());
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** {@code Retry-After} as seconds or an HTTP date, capped at 5 minutes; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) return null;
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      try {
        d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(),
            DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
    if (d.isNegative()) return Duration.ZERO;
    return d.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : d;
  }

  /** Scheme, host, port and path: never the query, where arguments and keys often go. */
  static String describe(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static void putIfAbsent(Map<String, String> headers, String name, String value) {
    if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase(name))) headers.put(name, value);
  }

  /** Replaces secret values (the longest first) wherever they appear. */
  static final class Redactor {
    private final List<String> values;

    Redactor(java.util.Collection<String> secrets) {
      List<String> v = new ArrayList<>();
      for (String s : secrets) {
        if (s == null || s.length() < 3) continue;
        v.add(s);
        // as it appears in a rendered URL, and as a server may echo it back
        String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8);
        v.add(encoded.replace("+", "%20"));
        v.add(encoded);
      }
      v.sort(Comparator.comparingInt(String::length).reversed());
      this.values = v.stream().distinct().toList();
    }

    String apply(String text) {
      if (text == null) return null;
      String out = text;
      for (String v : values) out = out.replace(v, REDACTED);
      return out;
    }

    boolean touches(String text) {
      return values.stream().anyMatch(text::contains);
    }
  }

  /** A response body cut at a byte cap: what was read, and whether more was left unread. */
  record Capped(byte[] bytes, boolean truncated) {}

  /**
   * Collects the body up to {@code cap} bytes, then cancels the subscription: the rest of an over-size response is
   * never read (the connection is dropped).
   */
  static final class CappedBody implements HttpResponse.BodySubscriber<Capped> {
    private final int cap;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Capped> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(int cap) {
      this.cap = cap;
    }

    @Override
    public CompletableFuture<Capped> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) return;
      for (ByteBuffer buffer : items) {
        int room = cap - out.size();
        int n = buffer.remaining();
        if (n > room) {
          byte[] part = new byte[room];
          buffer.get(part);
          out.writeBytes(part);
          subscription.cancel();
          result.complete(new Capped(out.toByteArray(), true));
          return;
        }
        byte[] all = new byte[n];
        buffer.get(all);
        out.writeBytes(all);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(new Capped(out.toByteArray(), false));
    }
  }
}
