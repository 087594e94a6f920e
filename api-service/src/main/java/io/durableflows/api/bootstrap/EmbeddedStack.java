package io.durableflows.api.bootstrap;

import io.durableflows.api.support.Ids;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before Spring starts, what the process hosts. {@code TEMPORAL_ADDRESS} set: production, connect to that
 * cluster and host no workers (unless {@code DF_EMBEDDED_WORKERS=true}). Unset: start Temporal's Java test
 * server on {@code DF_TEMPORAL_PORT} (7233) with time skipping locked off, host the workers, and load the demo
 * org. The test server keeps history in memory only, like Temporal's dev server.
 */
public final class EmbeddedStack {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
  public static final String IN_PROCESS_NAME = "durable-flows-temporal";
  private static volatile boolean inProcess;

  private EmbeddedStack() {}

  public static void prepare(Map<String, String> env) {
    DatabaseLocator.locate(env);
    String address = env.get("TEMPORAL_ADDRESS");
    if (address == null || address.isBlank()) {
      int port = Integer.parseInt(env.getOrDefault("DF_TEMPORAL_PORT", "7233"));
      startTestServer(port);
      System.setProperty("spring.temporal.connection.target", "127.0.0.1:" + port);
      System.setProperty("df.embedded", "true");
      if (env.get("DF_EMBEDDED_WORKERS") == null) System.setProperty("df.workers.embedded", "true");
      String admin = env.get("DF_ADMIN_TOKEN");
      if (admin == null || admin.isBlank()) {
        // A local platform needs an admin token to create orgs; this one lives as long as the process.
        System.setProperty("df.admin-token", "dfadmin_" + Ids.random(32));
        System.setProperty("df.admin-token-generated", "true");
      }
    }
  }

  /**
   * Starts the test server with time skipping locked off (a real-time clock, as production has), on a port for
   * other processes and, for this JVM's own client and workers, in-process: no sockets or HTTP/2 framing on the
   * path every run takes.
   */
  public static synchronized AutoCloseable startTestServer(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    try {
      // Loopback only: the test server has no authentication, and every org's prompts are in its histories.
      ServerBuilder<?> network = NettyServerBuilder.forAddress(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create())
          // Workers of other processes may die while this server lives on: no run may wait on their queues.
          .intercept(new NoStickyExecution());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), network);
      Server networkServer = network.build().start();
      ServerBuilder<?> local = InProcessServerBuilder.forName(IN_PROCESS_NAME);
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), local);
      Server localServer = local.build().start();
      inProcess = true;
      log.info("Temporal test server listening on 127.0.0.1:{} (in memory: runs die with this process)", port);
      return () -> {
        inProcess = false;
        localServer.shutdownNow();
        networkServer.shutdownNow();
        services.close();
      };
    } catch (IOException | RuntimeException e) {
      services.close();
      throw new IllegalStateException("could not start the Temporal test server on port " + port
          + " (set DF_TEMPORAL_PORT to a free port, or TEMPORAL_ADDRESS to use a running server)", e);
    }
  }

  /** Whether this JVM hosts the test server, reachable in-process under {@link #IN_PROCESS_NAME}. */
  public static boolean inProcessServerRunning() {
    return inProcess;
  }
}
