package io.durableflows.api.conversations;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.gateway.RunFailedException;
import io.durableflows.api.gateway.RunUnreachableException;
import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.workflows.llm.LlmFailures;
import io.durableflows.workflows.memory.SummarizeWorkflow;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Titles and compaction summaries, each one model call through Temporal ({@link SummarizeWorkflow}). */
@Component
class ConversationSummaries {
  private final TemporalGateway temporal;
  private final Duration timeout;

  ConversationSummaries(TemporalGateway temporal,
      @Value("${df.conversations.summary-timeout:120s}") Duration timeout) {
    this.temporal = temporal;
    this.timeout = timeout;
  }

  /** 502 when the provider failed, 504 past the timeout, 503 when Temporal does not answer. */
  Summary summarize(String orgCode, String conversationId, SummaryRequest request) {
    String workflowId = SummarizeWorkflow.workflowId(orgCode, conversationId, request.kind(),
        UUID.randomUUID().toString());
    try {
      return temporal.summarize(workflowId, request, timeout);
    } catch (TimeoutException e) {
      throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "summary_timeout",
          "the model did not answer within " + timeout.toSeconds() + " s", Map.of("workflow_id", workflowId));
    } catch (RunUnreachableException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "temporal_unavailable", e.getMessage());
    } catch (RunFailedException e) {
      boolean provider = e.failureType() != null && LlmFailures.ALL.contains(e.failureType());
      throw new ApiException(provider ? HttpStatus.BAD_GATEWAY : HttpStatus.INTERNAL_SERVER_ERROR,
          provider ? "provider_error" : "summary_failed", e.getMessage());
    }
  }
}
