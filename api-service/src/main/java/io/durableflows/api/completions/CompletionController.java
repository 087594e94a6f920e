package io.durableflows.api.completions;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.completions.CompletionOperations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * 002's synchronous completions: {@code POST /api/v1/completions/{operation}} with {@code {items, model?,
 * provider?, ...options}}. Each item runs as its own retryable activity; the answer lists every item's output or
 * error in the items' order. More than 50 items belong in a batch.
 */
@RestController
@RequestMapping("/api/v1/completions")
class CompletionController {
  private static final List<String> ROUTE_FIELDS = List.of("items", "model", "provider");
  private final Completions completions;

  CompletionController(Completions completions) {
    this.completions = completions;
  }

  @PostMapping("/{operation}")
  Map<String, Object> complete(Caller caller, @PathVariable String operation, @RequestBody Map<String, Object> body) {
    if (!CompletionOperations.ALL.contains(operation)) throw ApiException.notFound("completion operation '"
        + operation + "'");
    if (!(body.get("items") instanceof List<?> items) || items.isEmpty()) {
      throw Completions.invalid("items", "is required: a non-empty list of items");
    }
    String model = Completions.optionalText(body, "model");
    String provider = Completions.optionalText(body, "provider");
    @SuppressWarnings("unchecked")
    Completions.Outcome outcome = completions.run(caller, operation, Completions.options(body, ROUTE_FIELDS),
        (List<Object>) items, provider, model);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("operation", operation);
    out.put("results", Completions.views(outcome.results()));
    out.put("usage", outcome.usageFields());
    out.put("cost_usd", outcome.costUsd());
    return out;
  }
}
