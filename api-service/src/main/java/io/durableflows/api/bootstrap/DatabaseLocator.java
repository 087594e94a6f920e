package io.durableflows.api.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds PostgreSQL when none is configured: {@code DF_DATABASE_URL} (or Spring's datasource settings) wins; else
 * the local server at 127.0.0.1:5432 (creating database {@code durableflows}); else an embedded PostgreSQL when
 * not running as root (PostgreSQL refuses root); else the process exits saying how to provide one.
 */
final class DatabaseLocator {
  private static final Logger log = LoggerFactory.getLogger(DatabaseLocator.class);
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE = "durableflows";

  private DatabaseLocator() {}

  static void locate(Map<String, String> env) {
    if (present(env.get("DF_DATABASE_URL")) || present(env.get("SPRING_DATASOURCE_URL"))
        || present(System.getProperty("spring.datasource.url"))) {
      return;
    }
    String user = env.getOrDefault("DF_DATABASE_USER", "postgres");
    String password = env.getOrDefault("DF_DATABASE_PASSWORD", "");
    try (Connection c = DriverManager.getConnection(LOCAL + "postgres?connectTimeout=3", user, password)) {
      boolean exists;
      try (var st = c.prepareStatement("select 1 from pg_database where datname = ?")) {
        st.setString(1, DATABASE);
        exists = st.executeQuery().next();
      }
      if (!exists) {
        try (var st = c.createStatement()) {
          st.execute("create database " + DATABASE);
        }
        log.info("created database {} on the local PostgreSQL", DATABASE);
      }
      System.setProperty("spring.datasource.url", LOCAL + DATABASE);
      return;
    } catch (SQLException e) {
      log.info("no PostgreSQL at 127.0.0.1:5432 ({}); trying an embedded one", e.getMessage());
    }
    if ("root".equals(System.getProperty("user.name"))) {
      System.err.println("""
          Durable Flows needs PostgreSQL and found none:
            - set DF_DATABASE_URL (e.g. jdbc:postgresql://host:5432/durableflows) with DF_DATABASE_USER/DF_DATABASE_PASSWORD, or
            - run PostgreSQL on 127.0.0.1:5432 (user postgres, trust or DF_DATABASE_PASSWORD), or
            - run as a non-root user so an embedded PostgreSQL can start (PostgreSQL refuses to run as root).""");
      System.exit(2);
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception ignored) {
          // the process is exiting anyway
        }
      }));
      System.setProperty("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"));
      System.setProperty("spring.datasource.username", "postgres");
      System.setProperty("spring.datasource.password", "");
      log.info("started an embedded PostgreSQL on port {} (data is discarded at exit)", pg.getPort());
    } catch (Exception e) {
      System.err.println("Could not start an embedded PostgreSQL (" + e.getMessage() + "); set DF_DATABASE_URL.");
      System.exit(2);
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
