package io.durableflows.api.files;

/**
 * What rows of a purpose must hold beyond parsing (a dataset's {@code input} object, say), however the file is
 * uploaded: checked after the rows are stored, inside the upload's transaction, so a check that throws leaves
 * nothing behind.
 */
public interface RowShape {
  String purpose();

  /** Throws a 400 {@code invalid_file} naming the bad rows' lines. */
  void check(FileRecord file);
}
