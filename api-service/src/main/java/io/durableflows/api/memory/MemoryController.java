package io.durableflows.api.memory;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.memory.MemoryBlockService.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's memory: blocks (compare-and-set on a version) and recall (text search). */
@RestController
@RequestMapping("/api/v1/memory")
class MemoryController {
  private final MemoryBlockService blocks;
  private final Recall recall;

  MemoryController(MemoryBlockService blocks, Recall recall) {
    this.blocks = blocks;
    this.recall = recall;
  }

  @GetMapping("/blocks")
  Map<String, Object> list(Caller caller) {
    caller.require("flows:read");
    return Map.of("data", blocks.list(caller.orgId()).stream().map(MemoryController::view).toList());
  }

  @GetMapping("/blocks/{type}")
  Map<String, Object> get(Caller caller, @PathVariable String type) {
    caller.require("flows:read");
    MemoryBlockService.checkType(type);
    return view(blocks.find(caller.orgId(), type)
        .orElseThrow(() -> ApiException.notFound("memory block '" + type + "'")));
  }

  /**
   * {@code {"value": "...", "version": n}}: n is the version the writer read (0 or absent: create). 201 when
   * created, 200 when replaced, 409 {@code version_conflict} with {@code current_version} otherwise.
   */
  @PutMapping("/blocks/{type}")
  ResponseEntity<Map<String, Object>> put(Caller caller, @PathVariable String type,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("flows:write");
    MemoryBlockService.checkType(type);
    if (body == null) throw ApiException.badRequest("invalid_request", "a JSON object body is required");
    if (!(body.get("value") instanceof String value)) {
      throw ApiException.badRequest("invalid_request", "value is required: a string");
    }
    if (value.length() > MemoryBlockService.MAX_VALUE) {
      throw ApiException.badRequest("invalid_request", "value must be at most " + MemoryBlockService.MAX_VALUE
          + " characters");
    }
    Object v = body.get("version");
    if (v != null && !((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
        && ((Number) v).longValue() <= Integer.MAX_VALUE)) {
      throw ApiException.badRequest("invalid_request", "version must be a non-negative integer (0 or absent: create)");
    }
    int expected = v == null ? 0 : ((Number) v).intValue();
    Block written = blocks.put(caller.orgId(), type, value, expected);
    return ResponseEntity.status(expected == 0 ? HttpStatus.CREATED : HttpStatus.OK).body(view(written));
  }

  /** 204; with {@code ?version=n} only if the block is at that version (409 otherwise). */
  @DeleteMapping("/blocks/{type}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String type,
      @RequestParam(required = false) Integer version) {
    caller.require("flows:write");
    MemoryBlockService.checkType(type);
    blocks.delete(caller.orgId(), type, version);
    return ResponseEntity.noContent().build();
  }

  /** {@code {"query": "...", "limit": 10}}: memory blocks and conversation messages of the org, best first. */
  @PostMapping("/recall")
  Map<String, Object> recall(Caller caller, @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:read");
    if (body == null) throw ApiException.badRequest("invalid_request", "a JSON object body is required");
    if (!(body.get("query") instanceof String query) || query.isBlank()) {
      throw ApiException.badRequest("invalid_request", "query is required: a non-empty string");
    }
    if (query.length() > 1000) throw ApiException.badRequest("invalid_request", "query must be at most 1000 characters");
    Object l = body.get("limit");
    if (l != null && !((l instanceof Integer || l instanceof Long) && ((Number) l).longValue() >= 1
        && ((Number) l).longValue() <= 100)) {
      throw ApiException.badRequest("invalid_request", "limit must be an integer from 1 to 100");
    }
    int limit = l == null ? 10 : ((Number) l).intValue();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("query", query);
    out.put("data", recall.search(caller.orgId(), query.strip(), limit));
    return out;
  }

  private static Map<String, Object> view(Block b) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("type", b.type());
    v.put("value", b.value());
    v.put("version", b.version());
    v.put("created_at", b.createdAt());
    v.put("updated_at", b.updatedAt());
    return v;
  }
}
