package io.durableflows.api.support;

import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.api.bootstrap.EmbeddedStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * What the API tests run against, once per JVM: a port-bound Temporal test server (time skipping locked off, as
 * the embedded default runs it), a fresh PostgreSQL database on the local server, and an OpenAI wire-protocol
 * stub. Tests isolate by creating their own organization, so they share all three.
 */
public final class TestStack {
  /** DF_TEST_DATABASE lets two checkouts run their API tests at once on one PostgreSQL server. */
  public static final String DATABASE = System.getenv().getOrDefault("DF_TEST_DATABASE", "durableflows_test");
  private static final String SERVER = System.getenv().getOrDefault("DF_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
  private static int temporalPort;
  private static OpenAiStubServer stub;

  private TestStack() {}

  public static synchronized int temporalPort() {
    if (temporalPort == 0) {
      temporalPort = freePort();
      EmbeddedStack.startTestServer(temporalPort);
    }
    return temporalPort;
  }

  public static synchronized OpenAiStubServer openAiStub() {
    if (stub == null) stub = OpenAiStubServer.start();
    return stub;
  }

  private static boolean databaseReady;

  public static synchronized String databaseUrl() {
    if (!databaseReady) {
      recreateDatabase(DATABASE);
      databaseReady = true;
    }
    return SERVER + DATABASE;
  }

  /** Drops and creates {@code name} on the local server; returns its JDBC URL. */
  public static String recreateDatabase(String name) {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        var st = c.createStatement()) {
      st.execute("drop database if exists " + name + " with (force)");
      st.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("API tests need PostgreSQL at " + SERVER + " (user postgres)", e);
    }
    return SERVER + name;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
