package io.durableflows.workflows.completions;

import java.util.List;
import java.util.Map;

/**
 * A synchronous completion request: at most {@link CompletionWorkflow#MAX_ITEMS} items, small enough to travel
 * in the workflow's input (larger sets are batches, which keep items in PostgreSQL). {@code concurrency} bounds
 * how many items run at once (0: the default).
 */
public record CompletionRequest(String orgCode, String operation, Map<String, Object> options, List<Object> items,
    String provider, String model, int concurrency) {}
