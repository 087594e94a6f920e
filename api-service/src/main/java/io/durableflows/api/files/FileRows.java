package io.durableflows.api.files;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Files and their rows in PostgreSQL ({@code files}, {@code file_rows}, migration V9). An upload is parsed as it
 * streams in and its rows inserted in batches, all in one transaction: a bad upload leaves nothing behind.
 * Batches and datasets read rows back by index range.
 */
@Service
public class FileRows {
  public static final List<String> PURPOSES = List.of("batch", "dataset");
  private static final int INSERT_BATCH = 500;
  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate tx;
  private final RowParser parser;
  private final Json json;
  private final long maxBytes;
  private final RowMapper<FileRecord> fileRow;
  private final List<RowShape> shapes;

  @SuppressWarnings("unchecked")
  FileRows(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, RowParser parser, Json json,
      List<RowShape> shapes, @Value("${df.files.max-bytes:104857600}") long maxBytes) {
    this.jdbc = jdbc;
    this.template = template;
    this.tx = tx;
    this.parser = parser;
    this.json = json;
    this.maxBytes = maxBytes;
    this.shapes = List.copyOf(shapes);
    this.fileRow = (rs, n) -> new FileRecord(rs.getString("id"), rs.getString("org_id"), rs.getString("filename"),
        rs.getString("format"), rs.getString("purpose"), rs.getInt("rows"), rs.getLong("bytes"),
        rs.getString("columns") == null ? null : (List<String>) json.read(rs.getString("columns")),
        rs.getObject("created_at", OffsetDateTime.class));
  }

  /** The largest upload accepted, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Parses and stores an upload. Throws a 400 {@code invalid_file} listing bad rows by line (nothing stored) —
   * rows that do not parse, or do not have the shape their purpose needs ({@link RowShape}) — or a 413
   * {@code file_too_large} past {@link #maxBytes()}.
   */
  public FileRecord store(String orgId, String filename, FileFormat format, String purpose, InputStream upload) {
    String id = Ids.newId("file");
    CountingStream in = new CountingStream(upload, maxBytes);
    return tx.execute(status -> {
      jdbc.sql("""
              insert into files (id, org_id, filename, format, purpose, rows, bytes)
              values (:id, :org, :filename, :format, :purpose, 0, 0)""")
          .param("id", id).param("org", orgId).param("filename", filename).param("format", format.wire())
          .param("purpose", purpose).update();
      List<Object[]> pending = new ArrayList<>(INSERT_BATCH);
      RowParser.Result result = parser.parse(in, format, (idx, line, data) -> {
        pending.add(new Object[] {id, idx, line, json.write(data)});
        if (pending.size() == INSERT_BATCH) flush(pending);
      });
      if (!result.ok()) throw invalid(result);
      flush(pending);
      List<String> columns = result.columns().isEmpty() ? null : result.columns();
      jdbc.sql("update files set rows = :rows, bytes = :bytes, columns = cast(:columns as jsonb) where id = :id")
          .param("rows", result.rows()).param("bytes", in.count).param("columns", json.write(columns))
          .param("id", id).update();
      FileRecord file = require(orgId, id);
      shapes.stream().filter(shape -> shape.purpose().equals(purpose)).forEach(shape -> shape.check(file));
      return file;
    });
  }

  private void flush(List<Object[]> pending) {
    if (pending.isEmpty()) return;
    template.batchUpdate("insert into file_rows (file_id, idx, line, data) values (?, ?, ?, cast(? as jsonb))",
        pending);
    pending.clear();
  }

  private static ApiException invalid(RowParser.Result result) {
    List<Map<String, Object>> details = result.errors().stream().map(e -> {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("line", e.line());
      d.put("message", e.message());
      return d;
    }).toList();
    String message = result.errorCount() == 1 ? "1 bad row; nothing was stored"
        : result.errorCount() + " bad rows" + (result.errorCount() > details.size()
            ? " (the first " + details.size() + " listed)" : "") + "; nothing was stored";
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("details", details);
    extra.put("error_count", result.errorCount());
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_file", message, extra);
  }

  public ApiException tooLarge() {
    return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "file_too_large",
        "files may be at most " + maxBytes + " bytes (" + (maxBytes / (1024 * 1024)) + " MB)");
  }

  /** The org's files of {@code purpose} (null: of every purpose), newest first. */
  public List<FileRecord> list(String orgId, String purpose, int limit) {
    return jdbc.sql("""
            select * from files where org_id = :org and (cast(:purpose as text) is null or purpose = :purpose)
            order by created_at desc, id desc limit :limit""")
        .param("org", orgId).param("purpose", purpose).param("limit", limit).query(fileRow).list();
  }

  public Optional<FileRecord> find(String orgId, String id) {
    return jdbc.sql("select * from files where org_id = :org and id = :id")
        .param("org", orgId).param("id", id).query(fileRow).optional();
  }

  /** The org's file, or a 404 (also for another org's file). */
  public FileRecord require(String orgId, String id) {
    return find(orgId, id).orElseThrow(() -> ApiException.notFound("file '" + id + "'"));
  }

  /** Rows {@code fromIdx} (inclusive) to {@code toIdx} (exclusive) of a file, in order. */
  @SuppressWarnings("unchecked")
  public List<FileRow> rows(String fileId, int fromIdx, int toIdx) {
    return jdbc.sql("""
            select idx, line, data from file_rows where file_id = :file and idx >= :from and idx < :to order by idx""")
        .param("file", fileId).param("from", fromIdx).param("to", toIdx)
        .query((rs, n) -> new FileRow(rs.getInt("idx"), rs.getInt("line"),
            (Map<String, Object>) json.read(rs.getString("data"))))
        .list();
  }

  public void delete(String orgId, String id) {
    int n = jdbc.sql("delete from files where org_id = :org and id = :id").param("org", orgId).param("id", id).update();
    if (n == 0) throw ApiException.notFound("file '" + id + "'");
  }

  /** Counts the bytes read and refuses to read past the limit. */
  private final class CountingStream extends FilterInputStream {
    private final long limit;
    private long count;

    CountingStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) counted(1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      int n = super.read(buffer, off, len);
      if (n > 0) counted(n);
      return n;
    }

    private void counted(int n) {
      count += n;
      if (count > limit) throw tooLarge();
    }
  }
}
