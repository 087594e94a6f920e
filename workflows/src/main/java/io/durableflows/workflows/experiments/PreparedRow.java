package io.durableflows.workflows.experiments;

import io.durableflows.workflows.run.RunRequest;

/**
 * A dataset row ready to run: the recorded run of it, the answer the row expects (null if none) and the id its
 * eval job takes (derived from the experiment and the row, like the run's).
 */
public record PreparedRow(RunRequest run, Object expected, String evalJobId) {}
