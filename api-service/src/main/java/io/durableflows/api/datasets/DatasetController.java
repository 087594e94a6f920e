package io.durableflows.api.datasets;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Cursors;
import io.durableflows.api.support.Pages;
import io.durableflows.api.files.FileUploads;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Datasets for experiments: JSON Lines, a JSON array or CSV, uploaded as a multipart {@code file} part or as the raw
 * body, streamed and parsed as files are (see {@code /api/v1/files}).
 */
@RestController
@RequestMapping("/api/v1/datasets")
class DatasetController {
  private static final int MAX_PAGE_SIZE = 500;
  private final Datasets datasets;
  private final FileUploads uploads;

  DatasetController(Datasets datasets, FileUploads uploads) {
    this.datasets = datasets;
    this.uploads = uploads;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> upload(Caller caller, HttpServletRequest request,
      @RequestParam(required = false) String name) throws IOException {
    caller.require("flows:write");
    Datasets.Dataset dataset = uploads.read(request, name, (filename, format, in) ->
        datasets.upload(caller.orgId(), filename, format, in));
    return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/api/v1/datasets/" + dataset.id())
        .body(view(dataset, datasets.rows(dataset, 0, 5), 1, 5));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(defaultValue = "100") int limit) {
    caller.require("flows:read");
    Cursors.limit(limit, 1000);
    return Map.of("data", datasets.list(caller.orgId(), limit).stream().map(d -> view(d, null, 0, 0)).toList());
  }

  /** The dataset with a page of its rows (the first 20 unless {@code page} and {@code page_size} say otherwise). */
  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "1") int page,
      @RequestParam(name = "page_size", defaultValue = "20") int pageSize) {
    caller.require("flows:read");
    int from = Pages.of(page, pageSize, MAX_PAGE_SIZE).sqlOffset();
    Datasets.Dataset dataset = datasets.require(caller.orgId(), id);
    return view(dataset, datasets.rows(dataset, from, (int) Math.min(Integer.MAX_VALUE, (long) from + pageSize)),
        page, pageSize);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    caller.require("flows:write");
    datasets.delete(caller.orgId(), id);
    return ResponseEntity.noContent().build();
  }

  private static Map<String, Object> view(Datasets.Dataset d, List<Datasets.DatasetRow> rows, int page,
      int pageSize) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", d.id());
    out.put("object", "dataset");
    out.put("name", d.name());
    out.put("format", d.format());
    out.put("row_count", d.rows());
    out.put("created_at", d.createdAt());
    if (rows != null) {
      out.put("page", page);
      out.put("page_size", pageSize);
      out.put("rows", rows.stream().map(r -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", r.index());
        row.put("line", r.line());
        row.put("input", r.input());
        row.put("expected", r.expected());
        return row;
      }).toList());
      out.put("has_more", (long) page * pageSize < d.rows());
    }
    return out;
  }
}
