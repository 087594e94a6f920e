package io.durableflows.workflows.evals;

import java.util.List;

/** What an eval job found: one result per selected evaluation, in the order selected, and their totals. */
public record EvalJobResult(String jobId, List<EvalResult> results, EvalSummary summary) {}
