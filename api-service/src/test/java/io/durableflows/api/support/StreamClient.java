package io.durableflows.api.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a streaming HTTP response line by line as it arrives, stamping each line with when it came, and can
 * drop the connection half way (a client that goes away).
 */
public final class StreamClient implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Line END = new Line(null, 0);

  /** One line and {@code System.nanoTime()} when it was read. */
  public record Line(String text, long atNanos) {}

  /** A parsed server-sent event. */
  public record Sse(String id, String event, String data) {}

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
  private final List<Line> seen = new ArrayList<>();
  private boolean ended;

  private StreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    Thread.ofVirtual().start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) lines.add(new Line(line, System.nanoTime()));
      } catch (IOException ignored) {
        // closed by us or by the server
      } finally {
        lines.add(END);
      }
    });
  }

  public static StreamClient post(String url, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return open(b);
  }

  public static StreamClient get(String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return open(b);
  }

  private static StreamClient open(HttpRequest.Builder request) {
    try {
      return new StreamClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public HttpHeaders headers() {
    return response.headers();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next line, or null at the end of the stream. */
  public Line next(Duration timeout) {
    if (ended) return null;
    try {
      Line line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) throw new AssertionError("no line within " + timeout + "; so far: " + texts(seen));
      if (line == END) {
        ended = true;
        return null;
      }
      seen.add(line);
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every remaining line up to the end of the stream. */
  public List<Line> rest(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Line> out = new ArrayList<>();
    Line line;
    while ((line = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) out.add(line);
    return out;
  }

  /** Reads until a line satisfies the predicate (inclusive), returning the lines read. */
  public List<Line> until(java.util.function.Predicate<String> stop, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Line> out = new ArrayList<>();
    Line line;
    while ((line = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) {
      out.add(line);
      if (stop.test(line.text())) return out;
    }
    throw new AssertionError("stream ended before the expected line; got " + texts(out));
  }

  /** Drops the connection, as a client that goes away does. */
  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  public static List<String> texts(List<Line> lines) {
    return lines.stream().map(Line::text).toList();
  }

  /** Server-sent events in these lines (comments dropped). */
  public static List<Sse> events(List<Line> lines) {
    List<Sse> out = new ArrayList<>();
    String id = null;
    String event = null;
    StringBuilder data = null;
    for (Line l : lines) {
      String t = l.text();
      if (t.isEmpty()) {
        if (data != null) out.add(new Sse(id, event, data.toString()));
        id = null;
        event = null;
        data = null;
      } else if (t.startsWith(":")) {
        continue;
      } else if (t.startsWith("id:")) {
        id = t.substring(3).strip();
      } else if (t.startsWith("event:")) {
        event = t.substring(6).strip();
      } else if (t.startsWith("data:")) {
        String d = t.substring(5);
        if (d.startsWith(" ")) d = d.substring(1);
        data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
      }
    }
    return out;
  }
}
