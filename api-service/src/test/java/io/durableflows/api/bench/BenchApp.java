package io.durableflows.api.bench;

import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.support.TestStack;

/** What the benchmarks' main classes share: how they exit, and the API they start against the stub provider. */
final class BenchApp {
  private BenchApp() {}

  interface Body {
    void run() throws Exception;
  }

  /** Runs a benchmark and exits with its status: the Temporal test server's threads would keep the JVM alive. */
  static void main(Body body) {
    int status = 0;
    try {
      body.run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /**
   * System properties (they outrank application.yml) for an API on a free port, on a fresh database and the test
   * server, with org {@code bench} and {@code token}, and {@code stub} as provider "stub".
   */
  static void configure(String database, String token, OpenAiStubServer stub) {
    System.setProperty("server.port", "0");
    System.setProperty("spring.datasource.url", TestStack.recreateDatabase(database));
    System.setProperty("spring.temporal.connection.target", "127.0.0.1:" + TestStack.temporalPort());
    System.setProperty("logging.level.root", "WARN");
    System.setProperty("df.bootstrap.org", "bench");
    System.setProperty("df.bootstrap.token", token);
    System.setProperty("df.llm.providers.stub.kind", "openai");
    System.setProperty("df.llm.providers.stub.base-url", stub.baseUrl());
    System.setProperty("df.llm.providers.stub.api-key", "sk-bench");
    System.setProperty("df.llm.providers.stub.default-model", "gpt-4o-mini");
  }
}
