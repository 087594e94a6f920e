package io.durableflows.workflows.evals;

import java.util.List;
import java.util.Map;

/**
 * An eval job: every selected evaluation of one run's output. {@code jobId} ({@code evj_…}) names the job's
 * {@code eval_jobs} row and workflow; {@code runId} is the evaluated run, {@code flowSlug} its flow, {@code input}
 * and {@code output} what it was given and produced.
 */
public record EvalJobRequest(
    String jobId, String orgCode, String runId, String flowSlug, Map<String, Object> input, Object output,
    List<EvalSelection> evaluations) {
  public EvalJobRequest {
    input = input == null ? Map.of() : input;
    evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
  }
}
