package io.durableflows.api.files;

import java.util.Map;

/** One row of a file: its index (from 0), the line of the upload it starts on (from 1), its object. */
public record FileRow(int idx, int line, Map<String, Object> data) {}
