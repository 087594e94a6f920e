package io.durableflows.api.files;

import java.time.OffsetDateTime;
import java.util.List;

/** An uploaded file: its rows are in {@code file_rows}, read with {@link FileRows#rows}. */
public record FileRecord(String id, String orgId, String filename, String format, String purpose, int rows,
    long bytes, List<String> columns, OffsetDateTime createdAt) {}
