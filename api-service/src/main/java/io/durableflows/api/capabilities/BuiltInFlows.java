package io.durableflows.api.capabilities;

import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The capability flows shipped in {@code capabilities/*.json}, validated once at start-up. */
@Component
class BuiltInFlows {
  static final String PLAN = "plan";
  static final String REFLECT = "reflect";
  /** The llm node of each flow, which takes the agent's model settings. */
  static final Map<String, String> MODEL_NODE = Map.of(PLAN, "plan", REFLECT, "reflect");
  private final Map<String, ResolvedFlow> flows;

  BuiltInFlows(FlowService flowService, Json json) {
    this.flows = Map.of(PLAN, flowService.builtIn(read(json, PLAN)), REFLECT, flowService.builtIn(read(json, REFLECT)));
  }

  ResolvedFlow get(String capability) {
    return flows.get(capability);
  }

  private static Map<String, Object> read(Json json, String name) {
    try (InputStream in = BuiltInFlows.class.getResourceAsStream("/capabilities/" + name + ".json")) {
      if (in == null) throw new IllegalStateException("capabilities/" + name + ".json is not on the classpath");
      return json.readMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
