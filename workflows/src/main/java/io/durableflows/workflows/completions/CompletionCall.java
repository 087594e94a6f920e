package io.durableflows.workflows.completions;

import java.util.Map;

/**
 * One item of a completion operation. {@code options} are the request's operation settings (categories, schema,
 * fields, instructions...), the same for every item; {@code key} is the item's idempotency key (the same for every
 * attempt). A null provider or model means the worker's default.
 */
public record CompletionCall(
    String key, String orgCode, String operation, Map<String, Object> options, Object item, String provider,
    String model) {}
