package io.durableflows.api.orgs;

import java.time.OffsetDateTime;

public record Organization(String id, String orgCode, String name, OffsetDateTime createdAt) {}
