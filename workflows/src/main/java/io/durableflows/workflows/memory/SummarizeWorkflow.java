package io.durableflows.workflows.memory;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One summarising or titling model call outside a flow run (a conversation's compress and title routes): the
 * same activity a memory node's compaction uses, retried and visible in Temporal UI like any model call.
 */
@WorkflowInterface
public interface SummarizeWorkflow {
  @WorkflowMethod(name = "SummarizeConversation")
  Summary summarize(SummaryRequest request);

  /** A readable workflow id: {@code conversation/<org>/<conversation>/<kind>/<unique>}. */
  static String workflowId(String orgCode, String conversationId, String kind, String unique) {
    return "conversation/" + orgCode + "/" + conversationId + "/" + kind + "/" + unique;
  }
}
