package io.durableflows.api.approvals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.workflows.hitl.HumanRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's approvals: runs (and their tool calls) waiting for a person's decision. */
@RestController
@RequestMapping("/api/v1/approvals")
class ApprovalController {
  private static final int MAX_BULK = 100;
  private final HumanRequestService service;

  ApprovalController(HumanRequestService service) {
    this.service = service;
  }

  @GetMapping("/pending")
  Map<String, Object> pending(Caller caller, @RequestParam(required = false) String flow,
      @RequestParam(name = "run", required = false) String run,
      @RequestParam(name = "run_id", required = false) String runId, @RequestParam(required = false) String tool,
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int limit) {
    return service.pending(caller, HumanRequest.APPROVAL, flow, run != null ? run : runId, tool, cursor, limit);
  }

  @GetMapping("/dashboard/summary")
  Map<String, Object> summary(Caller caller) {
    return service.summary(caller);
  }

  @GetMapping("/tools/{toolId}/stats")
  Map<String, Object> toolStats(Caller caller, @PathVariable String toolId) {
    return service.toolStats(caller, toolId);
  }

  @PostMapping("/cleanup-expired")
  Map<String, Object> cleanup(Caller caller) {
    return service.cleanup(caller);
  }

  /**
   * {@code {"items": [{"id", "decision", "comment", "modified_arguments"}]}} or, for one decision for many,
   * {@code {"ids": [...], "decision", "comment"}}: each item answered on its own, with its own result.
   */
  @PostMapping("/bulk-respond")
  Map<String, Object> bulk(Caller caller, @RequestBody Map<String, Object> body, HttpServletRequest request) {
    caller.require("runs:write");
    List<Map<String, Object>> items = bulkItems(body);
    List<Map<String, Object>> results = service.bulk(caller, items, AsyncRequests.requested(request));
    long ok = results.stream().filter(r -> Boolean.TRUE.equals(r.get("ok"))).count();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("results", results);
    out.put("succeeded", ok);
    out.put("failed", results.size() - ok);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> bulkItems(Map<String, Object> body) {
    List<Map<String, Object>> items = new ArrayList<>();
    if (body.get("items") instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map)) throw ApiException.badRequest("invalid_request", "items must be objects");
        items.add((Map<String, Object>) item);
      }
    } else if (body.get("ids") instanceof List<?> ids) {
      for (Object id : ids) {
        Map<String, Object> item = new LinkedHashMap<>(body);
        item.remove("ids");
        item.put("id", id);
        items.add(item);
      }
    } else {
      throw ApiException.badRequest("invalid_request",
          "send {\"items\": [{\"id\", \"decision\", ...}]} or {\"ids\": [...], \"decision\": ...}");
    }
    if (items.isEmpty() || items.size() > MAX_BULK) {
      throw ApiException.badRequest("invalid_request", "send 1 to " + MAX_BULK + " items");
    }
    return items;
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    return service.get(caller, HumanRequest.APPROVAL, id);
  }

  /** {@code {"decision": "approve" | "deny", "comment", "modified_arguments", "responder"}}. */
  @PostMapping("/{id}/respond")
  ResponseEntity<Map<String, Object>> respond(Caller caller, @PathVariable String id,
      @RequestBody Map<String, Object> body, HttpServletRequest request) {
    var reply = service.respond(caller, HumanRequest.APPROVAL, id, Answers.approval(body),
        AsyncRequests.requested(request));
    return ResponseEntity.status(reply.status()).body(reply.body());
  }

  /** Cancels the approval: the run takes its deny path. */
  @DeleteMapping("/{id}")
  ResponseEntity<Map<String, Object>> cancel(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body, HttpServletRequest request) {
    var reply = service.respond(caller, HumanRequest.APPROVAL, id, Answers.cancel(body),
        AsyncRequests.requested(request));
    return ResponseEntity.status(reply.status()).body(reply.body());
  }
}
