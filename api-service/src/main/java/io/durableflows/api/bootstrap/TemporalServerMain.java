package io.durableflows.api.bootstrap;

import java.util.concurrent.CountDownLatch;

/**
 * Temporal's Java test server as its own process, so the API and workers can restart without losing runs:
 * {@code ./df temporal} starts it; then start the API with {@code TEMPORAL_ADDRESS=127.0.0.1:7233}.
 */
public final class TemporalServerMain {
  private TemporalServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0])
        : Integer.parseInt(System.getenv().getOrDefault("DF_TEMPORAL_PORT", "7233"));
    var server = EmbeddedStack.startTestServer(port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    System.out.println("Temporal test server ready on 127.0.0.1:" + port);
    new CountDownLatch(1).await();
  }
}
