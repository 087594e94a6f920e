package io.durableflows.workflows.completions;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A synchronous completion request: each item its own {@code Complete} activity, a few at a time, results in the
 * items' order. An item whose activity fails for good is that item's error; the workflow itself does not fail.
 */
@WorkflowInterface
public interface CompletionWorkflow {
  /** More items than this are a batch ({@code POST /api/v1/batches}). */
  int MAX_ITEMS = 50;
  int DEFAULT_CONCURRENCY = 10;

  @WorkflowMethod(name = "Completions")
  CompletionResults complete(CompletionRequest request);

  /** A readable workflow id: {@code completions/<org>/<operation>/<unique>}. */
  static String workflowId(String orgCode, String operation, String unique) {
    return "completions/" + orgCode + "/" + operation + "/" + unique;
  }
}
