package io.durableflows.api.skills;

import java.time.OffsetDateTime;
import java.util.Map;

/** A named playbook of one org; {@code files} are support documents kept with it (file name to text). */
public record Skill(String name, String description, String body, Map<String, String> files, OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}
