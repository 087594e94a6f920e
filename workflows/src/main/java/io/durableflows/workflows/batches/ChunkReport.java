package io.durableflows.workflows.batches;

/** What a chunk activity recorded: items completed, items failed, items skipped (recorded by an earlier attempt). */
public record ChunkReport(int completed, int failed, int skipped) {}
