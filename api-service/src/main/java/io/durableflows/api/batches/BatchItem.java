package io.durableflows.api.batches;

/** One item of a batch as the output route shows it. */
record BatchItem(int idx, String status, Object input, Object output, String error, String message, String runId) {}
