package io.durableflows.api;

import io.durableflows.api.bootstrap.EmbeddedStack;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The API. Without {@code TEMPORAL_ADDRESS} it is the whole platform in one JVM: a Temporal test server on a
 * port, the workers, and PostgreSQL found or started (see {@link EmbeddedStack}).
 */
@SpringBootApplication
public class DurableFlowsApplication {
  public static void main(String[] args) {
    EmbeddedStack.prepare(System.getenv());
    try {
      SpringApplication.run(DurableFlowsApplication.class, args);
    } catch (RuntimeException e) {
      // The embedded test server's threads would keep a failed start alive.
      System.exit(1);
    }
  }
}
