package io.durableflows.api.flows;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.projects.ProjectService;
import io.durableflows.workflows.flow.InputSchema;
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

@RestController
@RequestMapping("/api/v1/flows")
class FlowController {
  private final FlowService flows;
  private final ProjectService projects;

  FlowController(FlowService flows, ProjectService projects) {
    this.flows = flows;
    this.projects = projects;
  }

  /** Typed as Object so that a number is reported, not silently turned into a string. */
  record PublishRelease(Object version, Object notes) {}

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody Map<String, Object> document) {
    caller.require("flows:write");
    return ResponseEntity.status(HttpStatus.CREATED).body(view(flows.create(caller.orgId(), document), true));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String project) {
    caller.require("flows:read");
    String projectId = project == null ? null : projects.require(caller.orgId(), project).id();
    return Map.of("data", flows.list(caller.orgId(), projectId).stream().map(f -> view(f, false)).toList());
  }

  @GetMapping("/{slug}")
  Map<String, Object> get(Caller caller, @PathVariable String slug) {
    caller.require("flows:read");
    return view(flows.require(caller.orgId(), slug), true);
  }

  @PutMapping("/{slug}")
  Map<String, Object> update(Caller caller, @PathVariable String slug, @RequestBody Map<String, Object> document) {
    caller.require("flows:write");
    return view(flows.update(caller.orgId(), slug, document), true);
  }

  @DeleteMapping("/{slug}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String slug) {
    caller.require("flows:write");
    flows.delete(caller.orgId(), slug);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{slug}/releases")
  ResponseEntity<Map<String, Object>> publish(Caller caller, @PathVariable String slug,
      @RequestBody(required = false) PublishRelease body) {
    caller.require("flows:write");
    Object version = body == null ? null : body.version();
    Object notes = body == null ? null : body.notes();
    if (version != null && !(version instanceof String v && !v.isBlank())) {
      throw ApiException.badRequest("invalid_request", "version must be a non-empty string; omit it to auto-increment");
    }
    if (notes != null && !(notes instanceof String)) {
      throw ApiException.badRequest("invalid_request", "notes must be a string");
    }
    ReleaseRecord release = flows.publish(caller.orgId(), slug, (String) version, (String) notes);
    return ResponseEntity.status(HttpStatus.CREATED).body(view(release, slug));
  }

  @GetMapping("/{slug}/releases")
  Map<String, Object> releases(Caller caller, @PathVariable String slug) {
    caller.require("flows:read");
    return Map.of("data", flows.releases(caller.orgId(), slug).stream().map(r -> view(r, slug)).toList());
  }

  private static Map<String, Object> view(FlowRecord f, boolean full) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", f.id());
    out.put("slug", f.slug());
    out.put("name", f.name());
    out.put("description", f.description());
    out.put("project", f.projectSlug());
    out.put("latest_version", f.latestVersion());
    out.put("draft_history_id", f.draftHistoryId());
    out.put("created_at", f.createdAt());
    out.put("updated_at", f.updatedAt());
    if (full) {
      out.put("input_schema", InputSchema.of(FlowDocuments.parse(f.document())).toJsonSchema());
      out.put("definition", f.document());
    }
    return out;
  }

  private static Map<String, Object> view(ReleaseRecord r, String slug) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("flow_id", r.flowId());
    out.put("flow", slug);
    out.put("version", r.version());
    out.put("flow_history_id", r.flowHistoryId());
    out.put("notes", r.notes());
    out.put("created_at", r.createdAt());
    return out;
  }
}
