package io.durableflows.api.secrets;

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
import org.springframework.web.bind.annotation.RestController;

/** Tool secrets ({@code {{secrets.NAME}}} in HTTP tools): list names, put (create or replace), delete. */
@RestController
@RequestMapping("/api/v1/secrets")
class SecretsController {
  private final SecretsService secrets;

  SecretsController(SecretsService secrets) {
    this.secrets = secrets;
  }

  @GetMapping
  Map<String, Object> list(Caller caller) {
    caller.require("flows:read");
    return Map.of("data", secrets.list(caller.orgId()).stream().map(SecretsController::view).toList());
  }

  @PutMapping("/{name}")
  ResponseEntity<Map<String, Object>> put(Caller caller, @PathVariable String name,
      @RequestBody Map<String, Object> body) {
    caller.require("flows:write");
    if (body == null) throw ApiException.badRequest("invalid_json", "send {\"value\": \"...\"}");
    SecretsService.Saved saved = secrets.put(caller.orgId(), name, body.get("value"));
    return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(saved.secret()));
  }

  /** Name and timestamps: the value is write-only. */
  private static Map<String, Object> view(SecretsService.SecretInfo s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.name());
    out.put("created_at", s.createdAt());
    out.put("updated_at", s.updatedAt());
    return out;
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
    caller.require("flows:write");
    secrets.delete(caller.orgId(), name);
    return ResponseEntity.noContent().build();
  }
}
