package io.durableflows.api.flows;

import java.time.OffsetDateTime;
import java.util.Map;

/** An immutable published snapshot of a flow. */
public record ReleaseRecord(
    String id, String flowId, String version, int seq, Map<String, Object> document, String flowHistoryId,
    String notes, OffsetDateTime createdAt) {}
