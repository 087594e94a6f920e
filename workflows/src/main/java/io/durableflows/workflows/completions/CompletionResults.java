package io.durableflows.workflows.completions;

import java.util.List;

/** The results of a completion request, one per item, in the items' order. */
public record CompletionResults(List<CompletionResult> results) {}
