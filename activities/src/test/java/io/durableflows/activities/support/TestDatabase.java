package io.durableflows.activities.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A real PostgreSQL database for activity tests, recreated once per JVM from the api-service's Flyway migrations
 * (applied in version order with plain JDBC, so this module needs no Flyway). Tests share it and isolate by using
 * keys and ids of their own.
 */
public final class TestDatabase {
  public static final String NAME =
      System.getenv().getOrDefault("DF_TEST_DATABASE", "durableflows") + "_activities_test";
  private static final String SERVER =
      System.getenv().getOrDefault("DF_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
  private static final Path MIGRATIONS = Path.of("../api-service/src/main/resources/db/migration");
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");
  private static DataSource dataSource;

  private TestDatabase() {}

  public static synchronized DataSource dataSource() {
    if (dataSource == null) {
      recreate();
      DriverManagerDataSource created = new DriverManagerDataSource(SERVER + NAME, "postgres", "");
      migrate(created);
      dataSource = created;
    }
    return dataSource;
  }

  private static void recreate() {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("drop database if exists " + NAME + " with (force)");
      st.execute("create database " + NAME);
    } catch (SQLException e) {
      throw new IllegalStateException("activity tests need PostgreSQL at " + SERVER + " (user postgres)", e);
    }
  }

  /** Each file in one statement batch: the driver sends it as one multi-statement query, as psql -f would. */
  private static void migrate(DataSource target) {
    for (Path file : migrations()) {
      try (Connection c = target.getConnection(); Statement st = c.createStatement()) {
        st.execute(Files.readString(file));
      } catch (SQLException e) {
        throw new IllegalStateException("migration " + file.getFileName() + " failed", e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static List<Path> migrations() {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      List<Path> found = files.filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(TestDatabase::version))
          .toList();
      if (found.isEmpty()) throw new IllegalStateException("no migrations in " + MIGRATIONS.toAbsolutePath());
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int version(Path file) {
    Matcher m = VERSIONED.matcher(file.getFileName().toString());
    if (!m.matches()) throw new IllegalArgumentException(file.toString());
    return Integer.parseInt(m.group(1));
  }
}
