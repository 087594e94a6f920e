package io.durableflows.api.files;

import java.util.Locale;
import java.util.Optional;

/** The row formats an upload may have: CSV with a header row, a JSON array of objects, or JSON Lines. */
public enum FileFormat {
  CSV("csv"), JSON("json"), JSONL("jsonl");

  private final String wire;

  FileFormat(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The format a Content-Type names (parameters such as charset ignored), if it names one. */
  public static Optional<FileFormat> ofContentType(String contentType) {
    if (contentType == null) return Optional.empty();
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text/csv", "application/csv" -> Optional.of(CSV);
      case "application/json" -> Optional.of(JSON);
      case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines" ->
          Optional.of(JSONL);
      default -> Optional.empty();
    };
  }

  /** The format a file name's extension names ({@code .csv}, {@code .json}, {@code .jsonl}/{@code .ndjson}). */
  public static Optional<FileFormat> ofFilename(String filename) {
    if (filename == null) return Optional.empty();
    String name = filename.toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) return Optional.of(CSV);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return Optional.of(JSONL);
    if (name.endsWith(".json")) return Optional.of(JSON);
    return Optional.empty();
  }
}
