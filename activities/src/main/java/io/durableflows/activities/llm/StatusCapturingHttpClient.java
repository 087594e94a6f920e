package io.durableflows.activities.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * langchain4j's HTTP client turns an error response into an {@link HttpException} that keeps only status and
 * body. Temporal owns our retries and must honour a 429's {@code Retry-After}, so this client keeps that header
 * on the exception it throws ({@link ProviderHttpException}), for plain and streaming calls alike. Streaming
 * calls block the calling thread until the stream ends; the LLM activity makes them from a thread of its own.
 */
final class StatusCapturingHttpClient implements HttpClient {
  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private StatusCapturingHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client = java.net.http.HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
    this.readTimeout = readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (!successful(response)) throw failure(response.statusCode(), response.body(), response);
    return success(response).body(response.body()).build();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpResponse<InputStream> response;
    try {
      response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    try (InputStream body = response.body()) {
      if (!successful(response)) {
        listener.onError(failure(response.statusCode(),
            new String(body.readAllBytes(), StandardCharsets.UTF_8), response));
        return;
      }
      listener.onOpen(success(response).build());
      parser.parse(body, listener);
      listener.onClose();
    } catch (IOException | RuntimeException e) {
      listener.onError(e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
    request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    var body = request.body() == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body());
    builder.method(request.method().name(), body);
    try {
      return client.send(builder.build(), handler);
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  private static boolean successful(HttpResponse<?> response) {
    return response.statusCode() >= 200 && response.statusCode() < 300;
  }

  private static ProviderHttpException failure(int status, String body, HttpResponse<?> response) {
    Optional<String> retryAfter = response.headers().firstValue("Retry-After");
    return new ProviderHttpException(status, body,
        retryAfter.map(StatusCapturingHttpClient::parseRetryAfter).orElse(null));
  }

  private static SuccessfulHttpResponse.Builder success(HttpResponse<?> response) {
    return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(response.headers().map());
  }

  static Duration parseRetryAfter(String value) {
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      try {
        var when = java.time.ZonedDateTime.parse(value.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(java.time.Instant.now(), when.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException ignored) {
        return null;
      }
    }
  }

  /** An error status from the provider, with its Retry-After when it sent one. */
  static final class ProviderHttpException extends HttpException {
    private final Duration retryAfter;

    ProviderHttpException(int status, String body, Duration retryAfter) {
      super(status, body);
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }

  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(120);

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      if (timeout != null) connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      if (timeout != null) readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new StatusCapturingHttpClient(connectTimeout, readTimeout);
    }
  }
}
