package io.durableflows.activities.llm;

import java.time.Duration;

/**
 * How a streaming model call feeds the run's event log: the first delta goes out at once, later ones are batched
 * every {@code flushInterval} (each batch is one signal, and so about four history events); {@code
 * heartbeatInterval} is how often the activity proves it is alive (and hears of cancellation) while it waits for
 * the model.
 */
public record StreamSettings(Duration flushInterval, Duration heartbeatInterval) {
  /**
   * A heartbeat every 400 ms while the call waits: heartbeat responses are how a cancelled run reaches the call, so
   * together with the workers' heartbeat throttle it stops within about a second.
   */
  public static final StreamSettings DEFAULT = new StreamSettings(Duration.ofMillis(100), Duration.ofMillis(400));
}
