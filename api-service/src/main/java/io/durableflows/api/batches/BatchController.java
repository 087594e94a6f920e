package io.durableflows.api.batches;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Cursors;
import io.durableflows.api.support.Pages;
import io.durableflows.api.support.Json;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference 002's batches: a flow or a completion operation over a file or inline items, with progress, paged
 * output (readable while it runs: every item in index order with its status) and cancel.
 */
@RestController
@RequestMapping("/api/v1/batches")
class BatchController {
  static final int MAX_PAGE_SIZE = 10_000;
  private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
  private static final MediaType CSV = MediaType.parseMediaType("text/csv");
  private final BatchService batches;
  private final Json json;

  BatchController(BatchService batches, Json json) {
    this.batches = batches;
    this.json = json;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody Map<String, Object> body) {
    caller.require("runs:write");
    BatchRecord batch = batches.create(caller.orgId(), caller.orgCode(), body);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(batch));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 100);
    List<BatchRecord> page = batches.list(caller.orgId(), limit);
    Map<String, Progress> progress = batches.progress(page.stream().map(BatchRecord::id).toList());
    return Map.of("data", page.stream()
        .map(b -> view(b, progress.getOrDefault(b.id(), Progress.NONE))).toList());
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(batches.require(caller.orgId(), id));
  }

  @PostMapping("/{id}/cancel")
  ResponseEntity<Map<String, Object>> cancel(Caller caller, @PathVariable String id) {
    caller.require("runs:write");
    BatchRecord batch = batches.cancel(caller.orgId(), id);
    Map<String, Object> out = view(batch);
    out.put("cancel_requested", true);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(out);
  }

  /**
   * Items in index order, {@code page_size} per page (pages from 1), each with its status: {@code pending} items
   * have no output yet, so a page covers the same items whenever it is read.
   */
  @GetMapping("/{id}/output")
  ResponseEntity<?> output(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "json") String format,
      @RequestParam(defaultValue = "1") int page, @RequestParam(name = "page_size", defaultValue = "100") int pageSize) {
    caller.require("runs:read");
    if (!List.of("json", "jsonl", "csv").contains(format)) {
      throw ApiException.badRequest("invalid_request", "format must be json, jsonl or csv");
    }
    long offset = Pages.of(page, pageSize, MAX_PAGE_SIZE).offset();
    BatchRecord batch = batches.require(caller.orgId(), id);
    List<BatchItem> items = offset >= batch.total() ? List.of() : batches.items(id, (int) offset, pageSize);
    boolean more = offset + items.size() < batch.total();
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
        .header("X-Total-Count", String.valueOf(batch.total()))
        .header("X-Batch-Status", batch.status());
    if (more) ok.header("Link", "</api/v1/batches/" + id + "/output?format=" + format + "&page=" + (page + 1)
        + "&page_size=" + pageSize + ">; rel=\"next\"");
    return switch (format) {
      case "jsonl" -> ok.contentType(NDJSON).body(jsonl(items));
      case "csv" -> ok.contentType(CSV).body(csv(items));
      default -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch_id", id);
        out.put("status", batch.status());
        out.put("page", page);
        out.put("page_size", pageSize);
        out.put("total", batch.total());
        out.put("has_more", more);
        out.put("data", items.stream().map(BatchController::item).toList());
        yield ok.contentType(MediaType.APPLICATION_JSON).body(out);
      }
    };
  }

  private String jsonl(List<BatchItem> items) {
    StringBuilder out = new StringBuilder();
    for (BatchItem item : items) out.append(json.write(item(item))).append('\n');
    return out.toString();
  }

  /** One row per item: input and output as JSON text (a string output as itself). */
  private String csv(List<BatchItem> items) {
    StringBuilder out = new StringBuilder("idx,status,input,output,error,message,run_id\r\n");
    for (BatchItem item : items) {
      out.append(item.idx()).append(',').append(item.status()).append(',')
          .append(cell(json.write(item.input()))).append(',')
          .append(cell(item.output() instanceof String s ? s : json.write(item.output()))).append(',')
          .append(cell(item.error())).append(',').append(cell(item.message())).append(',')
          .append(cell(item.runId())).append("\r\n");
    }
    return out.toString();
  }

  private static String cell(String value) {
    if (value == null) return "";
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  private static Map<String, Object> item(BatchItem item) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("idx", item.idx());
    out.put("status", item.status());
    out.put("input", item.input());
    out.put("output", item.output());
    if (item.error() != null) {
      out.put("error", item.error());
      out.put("message", item.message());
    }
    if (item.runId() != null) out.put("run_id", item.runId());
    return out;
  }

  private Map<String, Object> view(BatchRecord batch) {
    return view(batch, batches.progress(batch.id()));
  }

  private Map<String, Object> view(BatchRecord batch, Progress progress) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", batch.id());
    out.put("object", "batch");
    out.put("status", batch.status());
    if (batch.flowSlug() != null) {
      out.put("flow", batch.flowSlug());
      out.put("version", batch.version());
    } else {
      out.put("operation", batch.operation());
      out.put("options", batch.options());
      if (batch.provider() != null) out.put("provider", batch.provider());
      if (batch.model() != null) out.put("model", batch.model());
    }
    if (batch.fileId() != null) out.put("file_id", batch.fileId());
    out.put("concurrency", batch.concurrency());
    out.put("total", batch.total());
    out.put("done", progress.done());
    out.put("completed", progress.completed());
    out.put("failed", progress.failed());
    out.put("cancelled", progress.cancelled());
    out.put("percent", batch.total() == 0 ? 100.0 : Math.round(progress.done() * 1000.0 / batch.total()) / 10.0);
    out.put("eta_seconds", BatchService.eta(batch, progress, OffsetDateTime.now()));
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", progress.promptTokens());
    usage.put("completion_tokens", progress.completionTokens());
    usage.put("total_tokens", progress.promptTokens() + progress.completionTokens());
    out.put("usage", usage);
    out.put("cost_usd", progress.costUsd());
    if (batch.errorMessage() != null) out.put("error_message", batch.errorMessage());
    if (batch.metadata() != null) out.put("metadata", batch.metadata());
    out.put("workflow_id", batch.workflowId());
    out.put("output_url", "/api/v1/batches/" + batch.id() + "/output");
    out.put("created_at", batch.createdAt());
    out.put("started_at", batch.startedAt());
    out.put("finished_at", batch.finishedAt());
    return out;
  }
}
