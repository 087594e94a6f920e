package io.durableflows.workers;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The workers as their own process, for production: connects to the Temporal cluster at
 * {@code TEMPORAL_ADDRESS} and to PostgreSQL at {@code DF_DATABASE_URL}. The API owns the schema (Flyway), so
 * start it once before the workers.
 */
@SpringBootApplication
public class WorkersApplication {
  public static void main(String[] args) {
    new SpringApplicationBuilder(WorkersApplication.class)
        .properties("spring.config.name=workers")
        .run(args);
  }
}
