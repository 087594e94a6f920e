package io.durableflows.api.flows;

import java.time.OffsetDateTime;
import java.util.Map;

/** A stored flow: its draft document and where it stands. */
public record FlowRecord(
    String id,
    String orgId,
    String projectId,
    String projectSlug,
    String slug,
    String name,
    String description,
    Map<String, Object> document,
    String draftHistoryId,
    String latestVersion,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}
