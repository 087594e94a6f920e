package io.durableflows.activities.llm;

import io.durableflows.workflows.events.DeltaBatch;

/** Where a streaming model call sends its batched deltas: the run workflow that started the call. */
public interface DeltaSink {
  void send(String workflowId, DeltaBatch batch);
}
