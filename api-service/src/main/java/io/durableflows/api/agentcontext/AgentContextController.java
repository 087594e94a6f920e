package io.durableflows.api.agentcontext;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.blocks.BlockVariables;
import io.durableflows.api.blocks.PromptBlock;
import io.durableflows.api.blocks.PromptBlockService;
import io.durableflows.api.gateway.ContextGateway;
import io.durableflows.api.skills.Skill;
import io.durableflows.api.skills.SkillService;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's per-agent skills and context blocks: what an agent node's {@code skills}, {@code promptBlocks}
 * and {@code contextBlocks} name, rendered (build) or cached ahead of a run (preload) through Temporal.
 */
@RestController
@RequestMapping("/api/v1/agent/{id}")
class AgentContextController {
  private final AgentNodes agents;
  private final SkillService skills;
  private final PromptBlockService blocks;
  private final ContextGateway context;

  AgentContextController(AgentNodes agents, SkillService skills, PromptBlockService blocks, ContextGateway context) {
    this.agents = agents;
    this.skills = skills;
    this.blocks = blocks;
    this.context = context;
  }

  /** The skills the agent names, in its order; a name no skill has is listed with {@code missing: true}. */
  @GetMapping("/skills")
  Map<String, Object> skills(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    AgentNode agent = agents.require(caller.orgId(), id);
    List<Map<String, Object>> data = new ArrayList<>();
    for (String name : agent.skills()) {
      Optional<Skill> skill = skills.find(caller.orgId(), name);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", name);
      item.put("description", skill.map(Skill::description).orElse(null));
      item.put("updated_at", skill.map(Skill::updatedAt).orElse(null));
      item.put("missing", skill.isEmpty());
      data.add(item);
    }
    return Map.of("agent", agent.slug(), "data", data);
  }

  /** The agent's prompt blocks, then its context blocks, each with its type and cache state. */
  @GetMapping("/context/blocks")
  Map<String, Object> blocks(Caller caller, @PathVariable String id) {
    caller.require("flows:read");
    AgentNode agent = agents.require(caller.orgId(), id);
    List<Map<String, Object>> data = new ArrayList<>();
    for (String name : agent.promptBlocks()) data.add(blockView(caller, name, "prompt"));
    for (String name : agent.contextBlocks()) data.add(blockView(caller, name, "context"));
    return Map.of("agent", agent.slug(), "data", data);
  }

  private Map<String, Object> blockView(Caller caller, String name, String kind) {
    Optional<PromptBlock> block = blocks.find(caller.orgId(), name);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("name", name);
    item.put("kind", kind);
    item.put("type", block.map(PromptBlock::type).orElse(null));
    item.put("description", block.map(PromptBlock::description).orElse(null));
    item.put("ttl_seconds", block.map(PromptBlock::ttlSeconds).orElse(null));
    item.put("cache", block.map(PromptBlock::cacheView).orElse(null));
    item.put("missing", block.isEmpty());
    return item;
  }

  /**
   * What the agent's system prompt takes in before its first model call: its skills and blocks rendered (dynamic
   * blocks from their cache while it is fresh), as {@code text} and part by part. Body (optional):
   * {@code {"variables": {...}}} for static blocks' placeholders.
   */
  @PostMapping("/context/blocks/build")
  Map<String, Object> build(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("flows:read");
    Map<String, Object> variables = BlockVariables.of(body);
    AgentNode agent = agents.require(caller.orgId(), id);
    ContextBlocks built = context.build(new ContextRequest(caller.orgCode(), null, agent.skills(),
        agent.promptBlocks(), agent.contextBlocks(), variables, ContextRequest.Mode.BUILD),
        "build/" + agent.slug());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("text", built.text());
    out.put("blocks", built.blocks().stream().map(AgentContextController::partView).toList());
    return out;
  }

  /** Renders the agent's dynamic blocks now and caches them, so its next run starts without rendering them. */
  @PostMapping("/context/preload")
  Map<String, Object> preload(Caller caller, @PathVariable String id) {
    caller.require("flows:write");
    AgentNode agent = agents.require(caller.orgId(), id);
    List<String> names = new ArrayList<>();
    for (String name : concat(agent.promptBlocks(), agent.contextBlocks())) {
      if (blocks.find(caller.orgId(), name).filter(b -> b.dynamic() && b.ttlSeconds() > 0).isPresent()) {
        names.add(name);
      }
    }
    List<Map<String, Object>> parts = List.of();
    if (!names.isEmpty()) {
      ContextBlocks built = context.build(new ContextRequest(caller.orgCode(), null, List.of(), List.of(), names,
          Map.of(), ContextRequest.Mode.PRELOAD), "preload/" + agent.slug());
      parts = built.blocks().stream().map(AgentContextController::partView).toList();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent.slug());
    out.put("preloaded", parts.stream().filter(p -> p.get("error") == null && !(Boolean) p.get("missing"))
        .map(p -> p.get("name")).toList());
    out.put("blocks", parts);
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    b.stream().filter(n -> !out.contains(n)).forEach(out::add);
    return out;
  }

  static Map<String, Object> partView(ContextBlocks.Block b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", b.name());
    out.put("kind", b.kind());
    out.put("type", b.type());
    out.put("content", b.content());
    out.put("cache", b.cache());
    out.put("missing", b.missing());
    out.put("error", b.error());
    return out;
  }
}
