package io.durableflows.api.projects;

import java.time.OffsetDateTime;

public record Project(String id, String slug, String name, String description, OffsetDateTime createdAt) {}
