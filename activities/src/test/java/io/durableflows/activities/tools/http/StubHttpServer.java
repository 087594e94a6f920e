package io.durableflows.activities.tools.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP endpoint for HTTP tool tests, on 127.0.0.1 (which tests must allowlist to reach). */
final class StubHttpServer implements AutoCloseable {
  final HttpServer server;
  final AtomicInteger flakyCalls = new AtomicInteger();
  volatile long bigBytesWritten;

  StubHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/json", ex -> send(ex, 200, "application/json",
        "{\"query\":\"" + (ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery())
            + "\",\"path\":\"" + ex.getRequestURI().getRawPath() + "\",\"temp\":21.5}"));
    server.createContext("/text", ex -> send(ex, 200, "text/plain; charset=utf-8", "sunny and warm"));
    server.createContext("/echo", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      send(ex, 200, "application/json", "{\"method\":\"" + ex.getRequestMethod() + "\",\"auth\":\"" + auth
          + "\",\"contentType\":\"" + type + "\",\"body\":" + (body.isEmpty() ? "null" : body) + "}");
    });
    server.createContext("/big", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0);
      byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 640; i++) {
          out.write(chunk);
          bigBytesWritten += chunk.length;
        }
      } catch (IOException closedByClient) {
        // the tool stopped reading at its cap
      }
    });
    server.createContext("/slow", ex -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      send(ex, 200, "text/plain", "late");
    });
    server.createContext("/flaky", ex -> {
      if (flakyCalls.incrementAndGet() == 1) {
        send(ex, 500, "text/plain", "try again");
      } else {
        send(ex, 200, "application/json", "{\"ok\":true}");
      }
    });
    server.createContext("/missing", ex -> send(ex, 404, "application/json", "{\"error\":\"no such city\"}"));
    server.createContext("/limited", ex -> {
      ex.getResponseHeaders().add("Retry-After", "1");
      send(ex, 429, "text/plain", "slow down");
    });
    server.createContext("/to-private", ex -> redirect(ex, "http://10.0.0.1/internal"));
    server.createContext("/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    server.createContext("/to-json", ex -> redirect(ex, "/json?from=redirect"));
    server.createContext("/loop", ex -> redirect(ex, "/loop"));
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
