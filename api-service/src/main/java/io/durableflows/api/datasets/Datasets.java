package io.durableflows.api.datasets;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.files.FileFormat;
import io.durableflows.api.files.FileRecord;
import io.durableflows.api.files.FileRow;
import io.durableflows.api.files.FileRows;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A dataset is an uploaded file of purpose {@code dataset} (parsed and stored by {@link FileRows}): each row has
 * an {@code input} object and an {@code expected} value. A JSON or JSON Lines row gives both as fields; a CSV row
 * gives {@code expected} as a column and its other columns are the input.
 */
@Service
public class Datasets {
  public static final String PURPOSE = "dataset";
  static final String EXPECTED = "expected";
  private final FileRows files;

  Datasets(FileRows files) {
    this.files = files;
  }

  public record Dataset(String id, String name, String format, int rows, List<String> columns,
      OffsetDateTime createdAt) {

    static Dataset of(FileRecord file) {
      return new Dataset(file.id(), file.filename(), file.format(), file.rows(), file.columns(), file.createdAt());
    }
  }

  /** One row as flows and evaluators take it; {@code line} is where it starts in the upload. */
  public record DatasetRow(int index, int line, Object input, Object expected) {}

  /**
   * Stores the upload as a dataset. Rows that cannot be parsed, and rows {@link DatasetShape} refuses, answer 400
   * {@code invalid_file} with each bad row's line; nothing is stored.
   */
  Dataset upload(String orgId, String filename, FileFormat format, InputStream in) {
    return Dataset.of(files.store(orgId, filename, format, PURPOSE, in));
  }

  /** The org's dataset (a file of another purpose, or another org's, is not one). */
  public Optional<Dataset> find(String orgId, String id) {
    return files.find(orgId, id).filter(f -> PURPOSE.equals(f.purpose())).map(Dataset::of);
  }

  Dataset require(String orgId, String id) {
    return find(orgId, id).orElseThrow(() -> ApiException.notFound("dataset '" + id + "'"));
  }

  /** The org's datasets, newest first. */
  List<Dataset> list(String orgId, int limit) {
    return files.list(orgId, PURPOSE, limit).stream().map(Dataset::of).toList();
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive), as flows take them. */
  List<DatasetRow> rows(Dataset dataset, int from, int to) {
    boolean csv = FileFormat.CSV.wire().equals(dataset.format());
    return files.rows(dataset.id(), from, to).stream().map(r -> row(r, csv)).toList();
  }

  private static DatasetRow row(FileRow r, boolean csv) {
    if (csv) {
      Map<String, Object> input = new LinkedHashMap<>(r.data());
      Object expected = input.remove(EXPECTED);
      return new DatasetRow(r.idx(), r.line(), input, expected);
    }
    return new DatasetRow(r.idx(), r.line(), r.data().get("input"), r.data().get(EXPECTED));
  }

  void delete(String orgId, String id) {
    require(orgId, id);
    files.delete(orgId, id);
  }
}
