package io.durableflows.api.blocks;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.ContextGateway;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextRequest;
import io.durableflows.workflows.flow.Templates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's prompt blocks: CRUD, preview as injected, and dropping a dynamic block's cached rendering. */
@RestController
@RequestMapping("/api/v1/prompt-blocks")
class PromptBlockController {
  private final PromptBlockService blocks;
  private final ContextGateway context;

  PromptBlockController(PromptBlockService blocks, ContextGateway context) {
    this.blocks = blocks;
    this.context = context;
  }

  @GetMapping
  Map<String, Object> list(Caller caller) {
    caller.require("flows:read");
    return Map.of("data", blocks.list(caller.orgId()).stream().map(b -> view(b, false)).toList());
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    return ResponseEntity.status(HttpStatus.CREATED).body(view(blocks.create(caller.orgId(), body), true));
  }

  @GetMapping("/{name}")
  Map<String, Object> get(Caller caller, @PathVariable String name) {
    caller.require("flows:read");
    return view(blocks.require(caller.orgId(), name), true);
  }

  @PatchMapping("/{name}")
  Map<String, Object> patch(Caller caller, @PathVariable String name, @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    return view(blocks.patch(caller.orgId(), name, body), true);
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
    caller.require("flows:write");
    blocks.delete(caller.orgId(), name);
    return ResponseEntity.noContent().build();
  }

  /**
   * The block as an agent's system prompt would take it, {@code <block name="...">…</block>}: a static block
   * rendered with {@code variables} from the body; a dynamic one rendered (or taken from its cache) through Temporal.
   */
  @PostMapping("/{name}/preview")
  Map<String, Object> preview(Caller caller, @PathVariable String name,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("flows:read");
    Map<String, Object> variables = BlockVariables.of(body);
    PromptBlock block = blocks.require(caller.orgId(), name);
    String content;
    String cache = "none";
    if (block.dynamic()) {
      ContextBlocks built = context.build(new ContextRequest(caller.orgCode(), null, List.of(), List.of(name),
          List.of(), variables, ContextRequest.Mode.BUILD), "preview/" + name);
      ContextBlocks.Block part = built.blocks().get(0);
      if (part.error() != null) {
        throw new ApiException(HttpStatus.BAD_GATEWAY, "render_failed", "block '" + name + "': " + part.error());
      }
      if (part.missing()) throw ApiException.notFound("prompt block '" + name + "'");
      content = part.content();
      cache = part.cache();
    } else {
      content = Templates.render(block.body(), variables);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("type", block.type());
    out.put("content", content);
    out.put("preview", ContextBlocks.wrap("block", name, content));
    out.put("cache", cache);
    return out;
  }

  @PostMapping("/{name}/invalidate-cache")
  Map<String, Object> invalidate(Caller caller, @PathVariable String name) {
    caller.require("flows:write");
    PromptBlock block = blocks.require(caller.orgId(), name);
    if (!block.dynamic()) {
      throw ApiException.badRequest("not_cacheable", "block '" + name + "' is static: only dynamic blocks are cached");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("invalidated", blocks.invalidate(caller.orgId(), name));
    return out;
  }

  static Map<String, Object> view(PromptBlock b, boolean full) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", b.name());
    out.put("description", b.description());
    out.put("type", b.type());
    if (full) {
      out.put("body", b.body());
      out.put("source", b.source());
    }
    out.put("ttl_seconds", b.ttlSeconds());
    out.put("cache", b.cacheView());
    out.put("render_count", b.renderCount());
    out.put("updated_at", b.updatedAt());
    return out;
  }
}
