package io.durableflows.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small real-HTTP client for API tests. */
public final class Http {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public String base() {
    return base;
  }

  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, String token) {
    return send(builder(path, token).GET());
  }

  public Response delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  public Response post(String path, String token, Object body) {
    return send(builder(path, token).header("Content-Type", "application/json").POST(publisher(body)));
  }

  /** A POST with extra headers ({@code Prefer}, {@code Idempotency-Key}...). */
  public Response post(String path, String token, Object body, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = builder(path, token).header("Content-Type", "application/json").POST(publisher(body));
    headers.forEach(b::header);
    return send(b);
  }

  public Response delete(String path, String token, Object body) {
    return send(builder(path, token).header("Content-Type", "application/json")
        .method("DELETE", publisher(body)));
  }

  public Response put(String path, String token, Object body) {
    return send(builder(path, token).header("Content-Type", "application/json").PUT(publisher(body)));
  }

  public Response patch(String path, String token, Object body) {
    return send(builder(path, token).header("Content-Type", "application/json").method("PATCH", publisher(body)));
  }

  /** Sends exactly these bytes with this content type (malformed JSON, wrong media types...). */
  public Response postRaw(String path, String token, String contentType, String body) {
    return send(builder(path, token).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Sends a request with an exact Authorization header value (or none when null). */
  public Response postWithAuthorization(String path, String authorization, Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(publisher(body));
    if (authorization != null) b.header("Authorization", authorization);
    return send(b);
  }

  private HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private static HttpRequest.BodyPublisher publisher(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
