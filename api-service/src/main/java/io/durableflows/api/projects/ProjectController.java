package io.durableflows.api.projects;

import io.durableflows.api.auth.Caller;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects")
class ProjectController {
  private final ProjectService projects;

  ProjectController(ProjectService projects) {
    this.projects = projects;
  }

  record CreateProject(String slug, String name, String description) {}

  @GetMapping
  Map<String, Object> list(Caller caller) {
    caller.require("flows:read");
    return Map.of("data", projects.list(caller.orgId()));
  }

  @PostMapping
  ResponseEntity<Project> create(Caller caller, @RequestBody CreateProject body) {
    caller.require("flows:write");
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(projects.create(caller.orgId(), body.slug(), body.name(), body.description()));
  }
}
