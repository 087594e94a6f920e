package io.durableflows.api.skills;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's skills: named playbooks (plus create/replace and delete, which the reference leaves out). */
@RestController
@RequestMapping("/api/v1/skills")
class SkillController {
  private final SkillService skills;

  SkillController(SkillService skills) {
    this.skills = skills;
  }

  @GetMapping
  Map<String, Object> list(Caller caller) {
    caller.require("flows:read");
    return Map.of("data", skills.list(caller.orgId()).stream().map(SkillController::summary).toList());
  }

  @GetMapping("/{name}")
  Map<String, Object> get(Caller caller, @PathVariable String name) {
    caller.require("flows:read");
    Skill skill = skills.require(caller.orgId(), name);
    Map<String, Object> out = summary(skill);
    out.put("body", skill.body());
    out.put("files", skill.files().keySet());
    out.put("created_at", skill.createdAt());
    return out;
  }

  /** The body, or with {@code ?file=} one of the skill's support files. */
  @GetMapping("/{name}/content")
  Map<String, Object> content(Caller caller, @PathVariable String name, @RequestParam(required = false) String file) {
    caller.require("flows:read");
    Skill skill = skills.require(caller.orgId(), name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", skill.name());
    if (file == null || file.isEmpty()) {
      out.put("file", null);
      out.put("content", skill.body());
      return out;
    }
    String text = skill.files().get(file);
    if (text == null) throw ApiException.notFound("file '" + file + "' of skill '" + name + "'");
    out.put("file", file);
    out.put("content", text);
    return out;
  }

  @PutMapping("/{name}")
  ResponseEntity<Map<String, Object>> put(Caller caller, @PathVariable String name,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    SkillService.Saved saved = skills.put(caller.orgId(), name, body);
    Map<String, Object> out = summary(saved.skill());
    out.put("body", saved.skill().body());
    out.put("files", saved.skill().files().keySet());
    return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(out);
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
    caller.require("flows:write");
    skills.delete(caller.orgId(), name);
    return ResponseEntity.noContent().build();
  }

  static Map<String, Object> summary(Skill skill) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", skill.name());
    out.put("description", skill.description());
    out.put("updated_at", skill.updatedAt());
    return out;
  }
}
