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
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A dataset is an uploaded file of purpose {@code dataset} (parsed and stored by {@link FileRows}): each row has
 * an {@code input} object and an {@code expected} value. A JSON or JSON Lines row gives both as fields; a CSV row
 * gives {@code expected} as a column and its other columns are the input.
 */
@Service
public class Datasets {
  public static final String PURPOSE = "dataset";
  /** How many bad rows an answer lists. */
  private static final int MAX_ERRORS = 100;
  private static final String EXPECTED = "expected";
  private final FileRows files;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  Datasets(FileRows files, JdbcClient jdbc, TransactionTemplate tx) {
    this.files = files;
    this.jdbc = jdbc;
    this.tx = tx;
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
   * Stores the upload as a dataset. Rows that cannot be parsed, JSON rows without an {@code input} object and a
   * CSV file with no input column answer 400 {@code invalid_file} with each bad row's line; nothing is stored.
   */
  Dataset upload(String orgId, String filename, FileFormat format, InputStream in) {
    return tx.execute(status -> {
      FileRecord file = files.store(orgId, filename, format, PURPOSE, in);
      checkShape(file);
      return Dataset.of(file);
    });
  }

  /** Throws (rolling back the upload) when a row does not have the shape of a dataset row. */
  private void checkShape(FileRecord file) {
    if (FileFormat.CSV.wire().equals(file.format())) {
      List<String> columns = file.columns() == null ? List.of() : file.columns();
      if (columns.stream().allMatch(EXPECTED::equals)) {
        throw invalid(List.of(error(1, "the header row needs at least one input column besides 'expected'")), 1);
      }
      return;
    }
    List<Map<String, Object>> bad = jdbc.sql("""
            select line, coalesce(jsonb_typeof(data -> 'input'), 'missing') as kind from file_rows
            where file_id = :file and jsonb_typeof(data -> 'input') is distinct from 'object'
            order by idx limit :limit""")
        .param("file", file.id()).param("limit", MAX_ERRORS)
        .query((rs, n) -> error(rs.getInt("line"), "missing".equals(rs.getString("kind"))
            ? "the row has no 'input' (an object of the flow's input variables)"
            : "'input' must be an object of the flow's input variables, got " + rs.getString("kind")))
        .list();
    if (bad.isEmpty()) return;
    int count = jdbc.sql("""
            select count(*) from file_rows
            where file_id = :file and jsonb_typeof(data -> 'input') is distinct from 'object'""")
        .param("file", file.id()).query(Integer.class).single();
    throw invalid(bad, count);
  }

  private static Map<String, Object> error(int line, String message) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("line", line);
    d.put("message", message);
    return d;
  }

  private static ApiException invalid(List<Map<String, Object>> details, int count) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("details", details);
    extra.put("error_count", count);
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_file",
        (count == 1 ? "1 bad row" : count + " bad rows") + " for a dataset; nothing was stored", extra);
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
    List<String> ids = jdbc.sql("""
            select id from files where org_id = :org and purpose = :purpose
            order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("purpose", PURPOSE).param("limit", limit).query(String.class).list();
    return ids.stream().map(id -> find(orgId, id)).flatMap(Optional::stream).toList();
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
