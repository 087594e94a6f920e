package io.durableflows.api.files;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Cursors;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's files: CSV, JSON (an array of objects) or JSON Lines, up to 100 MB, as a multipart {@code file}
 * part or as the raw body. Multipart parts are spooled to disk by the servlet container, raw bodies read from the
 * socket; either way rows are parsed from the stream, never from the whole file in memory.
 */
@RestController
@RequestMapping("/api/v1/files")
class FileController {
  private final FileRows files;
  private final FileUploads uploads;

  FileController(FileRows files, FileUploads uploads) {
    this.files = files;
    this.uploads = uploads;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> upload(Caller caller, HttpServletRequest request,
      @RequestParam(required = false) String purpose, @RequestParam(required = false) String filename)
      throws IOException {
    caller.require("runs:write");
    String usedPurpose = purpose == null || purpose.isBlank() ? "batch" : purpose;
    if (!FileRows.PURPOSES.contains(usedPurpose)) {
      throw ApiException.badRequest("invalid_request", "purpose must be one of " + FileRows.PURPOSES);
    }
    FileRecord stored = uploads.read(request, filename,
        (name, format, in) -> files.store(caller.orgId(), name, format, usedPurpose, in));
    return ResponseEntity.status(HttpStatus.CREATED).body(view(stored));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(defaultValue = "100") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 1000);
    return Map.of("data", files.list(caller.orgId(), null, limit).stream().map(FileController::view).toList());
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(files.require(caller.orgId(), id));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    caller.require("runs:write");
    files.delete(caller.orgId(), id);
    return ResponseEntity.noContent().build();
  }

  static Map<String, Object> view(FileRecord file) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", file.id());
    out.put("object", "file");
    out.put("filename", file.filename());
    out.put("format", file.format());
    out.put("purpose", file.purpose());
    out.put("rows", file.rows());
    out.put("bytes", file.bytes());
    if (file.columns() != null) out.put("columns", file.columns());
    out.put("created_at", file.createdAt());
    return out;
  }
}
