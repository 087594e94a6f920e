package io.durableflows.api.completions;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.CompletionGateway;
import io.durableflows.workflows.completions.CompletionOptions;
import io.durableflows.workflows.completions.CompletionRequest;
import io.durableflows.workflows.completions.CompletionResult;
import io.durableflows.workflows.completions.CompletionWorkflow;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.llm.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Checks a completion request, runs it through the gateway and totals what it cost. */
@Component
class Completions {
  private final CompletionGateway gateway;

  Completions(CompletionGateway gateway) {
    this.gateway = gateway;
  }

  record Outcome(List<CompletionResult> results, Usage usage, double costUsd) {
    /** OpenAI's usage fields. */
    Map<String, Object> usageFields() {
      return usage.fields();
    }
  }

  /** Bad options are a 400 with one detail each, before anything starts. */
  Outcome run(Caller caller, String operation, Map<String, Object> options, List<Object> items, String provider,
      String model) {
    caller.require("runs:write");
    List<FieldError> problems = CompletionOptions.problems(operation, options);
    if (!problems.isEmpty()) {
      throw ApiException.invalid("invalid_options", "the " + operation + " options are invalid", problems);
    }
    if (items.size() > CompletionWorkflow.MAX_ITEMS) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "too_many_items", "a completion request takes at most "
          + CompletionWorkflow.MAX_ITEMS + " items (this one has " + items.size() + "); send larger sets to "
          + "POST /api/v1/batches, which runs them in the background with progress",
          Map.of("max_items", CompletionWorkflow.MAX_ITEMS, "batches_url", "/api/v1/batches"));
    }
    List<CompletionResult> results = gateway.complete(new CompletionRequest(caller.orgCode(), operation, options,
        items, provider, model, 0)).results();
    Usage usage = Usage.ZERO;
    double cost = 0;
    for (CompletionResult r : results) {
      if (r.usage() != null) usage = usage.plus(r.usage());
      cost += r.costUsd();
    }
    return new Outcome(results, usage, cost);
  }

  /** The options of a body: everything but the fields the route itself reads. */
  static Map<String, Object> options(Map<String, Object> body, List<String> routeFields) {
    Map<String, Object> options = new LinkedHashMap<>(body);
    routeFields.forEach(options::remove);
    return options;
  }

  /** An optional non-blank string field; 400 when it is something else. */
  static String optionalText(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null) return null;
    if (!(value instanceof String s) || s.isBlank()) throw invalid(field, "must be a non-empty string");
    return s;
  }

  static ApiException invalid(String field, String message) {
    return ApiException.invalid("invalid_request", "the request is invalid", List.of(FieldError.of(field, message)));
  }

  /** One result as the API shows it: {@code {index, output}} or {@code {index, error, message}}. */
  static Map<String, Object> view(int index, CompletionResult r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", index);
    if (r.ok()) {
      out.put("output", r.output());
    } else {
      out.put("error", r.error());
      out.put("message", r.message());
    }
    return out;
  }

  static List<Map<String, Object>> views(List<CompletionResult> results) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) out.add(view(i, results.get(i)));
    return out;
  }
}
