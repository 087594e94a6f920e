package io.durableflows.api.datasets;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.files.FileFormat;
import io.durableflows.api.files.FileRecord;
import io.durableflows.api.files.RowShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A dataset row has an {@code input} object (a JSON row's field; a CSV row's columns other than {@code expected}),
 * whether the file came through {@code /api/v1/datasets} or {@code /api/v1/files?purpose=dataset}.
 */
@Component
class DatasetShape implements RowShape {
  /** How many bad rows an answer lists. */
  private static final int MAX_ERRORS = 100;
  private final JdbcClient jdbc;

  DatasetShape(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public String purpose() {
    return Datasets.PURPOSE;
  }

  @Override
  public void check(FileRecord file) {
    if (FileFormat.CSV.wire().equals(file.format())) {
      List<String> columns = file.columns() == null ? List.of() : file.columns();
      if (columns.stream().allMatch(Datasets.EXPECTED::equals)) {
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
}
