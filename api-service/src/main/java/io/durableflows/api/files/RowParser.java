package io.durableflows.api.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses rows (JSON objects) from an upload as it arrives: CSV with a header row (every value a string), a JSON
 * array of objects, or JSON Lines. Only one row is in memory at a time; each goes to the sink with its index (from
 * 0) and the line it starts on (from 1). Bad rows are collected with their line and parsing goes on where it can
 * (a JSON array cannot be resumed after a syntax error), so one answer lists them all; the sink is not called
 * after the first bad row, since nothing of a bad upload is kept.
 */
@Component
public class RowParser {
  /** How many bad rows an answer lists; {@link Result#errorCount()} counts them all. */
  public static final int MAX_ERRORS = 100;
  private final ObjectMapper mapper;

  public RowParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Receives each good row. */
  @FunctionalInterface
  public interface RowSink {
    void row(int idx, int line, Map<String, Object> data);
  }

  public record RowError(int line, String message) {}

  /** Rows parsed, the columns seen (CSV: the header; JSON: keys in order of first appearance), bad rows. */
  public record Result(int rows, List<String> columns, List<RowError> errors, int errorCount) {
    public boolean ok() {
      return errorCount == 0;
    }
  }

  public Result parse(InputStream in, FileFormat format, RowSink sink) {
    Collector collector = new Collector(sink);
    try {
      switch (format) {
        case CSV -> csv(reader(in), collector);
        case JSONL -> jsonl(reader(in), collector);
        case JSON -> json(withoutBom(in), collector);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (collector.rows == 0 && collector.errorCount == 0) {
      collector.error(1, format == FileFormat.CSV
          ? "the file has no rows (a header row and at least one data row are needed)" : "the file has no rows");
    }
    return new Result(collector.rows, List.copyOf(collector.columns), List.copyOf(collector.errors),
        collector.errorCount);
  }

  private static final class Collector {
    private final RowSink sink;
    private final Set<String> columns = new LinkedHashSet<>();
    private final List<RowError> errors = new ArrayList<>();
    private int rows;
    private int errorCount;

    Collector(RowSink sink) {
      this.sink = sink;
    }

    void row(int line, Map<String, Object> data) {
      columns.addAll(data.keySet());
      if (errorCount == 0) sink.row(rows, line, data);
      rows++;
    }

    void error(int line, String message) {
      if (errors.size() < MAX_ERRORS) errors.add(new RowError(line, message));
      errorCount++;
    }
  }

  private void jsonl(BufferedReader reader, Collector out) throws IOException {
    String text;
    int line = 0;
    while ((text = reader.readLine()) != null) {
      line++;
      if (text.isBlank()) continue;
      Object value;
      try {
        value = mapper.readValue(text, Object.class);
      } catch (JacksonException e) {
        out.error(line, "invalid JSON: " + e.getOriginalMessage());
        continue;
      }
      if (value instanceof Map<?, ?> map) {
        out.row(line, object(map));
      } else {
        out.error(line, "expected a JSON object, got " + kind(value));
      }
    }
  }

  private void json(InputStream in, Collector out) {
    try (JsonParser parser = mapper.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first == null) return;
      if (first != JsonToken.START_ARRAY) {
        out.error(parser.currentTokenLocation().getLineNr(), "expected a JSON array of objects");
        return;
      }
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          out.error(parser.currentLocation().getLineNr(), "invalid JSON: the array is not closed");
          return;
        }
        int line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.START_OBJECT) {
          out.row(line, object(parser.readValueAs(Map.class)));
        } else {
          parser.skipChildren();
          out.error(line, "expected a JSON object, got " + kind(token));
        }
      }
      if (parser.nextToken() != null) {
        out.error(parser.currentTokenLocation().getLineNr(), "invalid JSON: content after the array");
      }
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      out.error(Math.max(line, 1), "invalid JSON: " + e.getOriginalMessage());
    }
  }

  private static void csv(BufferedReader reader, Collector out) throws IOException {
    CsvReader csv = new CsvReader(reader);
    CsvReader.Record header = csv.next();
    if (header == null) return;
    List<String> columns = header.fields();
    Set<String> seen = new LinkedHashSet<>();
    for (String column : columns) {
      if (column.isBlank()) {
        out.error(header.line(), "the header row has an empty column name");
        return;
      }
      if (!seen.add(column)) {
        out.error(header.line(), "the header row names column '" + column + "' twice");
        return;
      }
    }
    if (header.error() != null) {
      out.error(header.line(), header.error());
      return;
    }
    out.columns.addAll(columns);
    CsvReader.Record record;
    while ((record = csv.next()) != null) {
      if (record.error() != null) {
        out.error(record.line(), record.error());
      } else if (record.fields().size() != columns.size()) {
        out.error(record.line(), "expected " + columns.size() + " columns, got " + record.fields().size());
      } else {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) data.put(columns.get(i), record.fields().get(i));
        out.row(record.line(), data);
      }
    }
  }

  private static Map<String, Object> object(Map<?, ?> map) {
    Map<String, Object> data = new LinkedHashMap<>();
    map.forEach((k, v) -> data.put(String.valueOf(k), v));
    return data;
  }

  private static String kind(Object value) {
    if (value instanceof JsonToken token) {
      return switch (token) {
        case START_ARRAY -> "an array";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> token.name().toLowerCase();
      };
    }
    if (value == null) return "null";
    if (value instanceof List<?>) return "an array";
    if (value instanceof String) return "a string";
    if (value instanceof Number) return "a number";
    if (value instanceof Boolean) return "a boolean";
    return value.getClass().getSimpleName();
  }

  private static BufferedReader reader(InputStream in) throws IOException {
    return new BufferedReader(new InputStreamReader(withoutBom(in), StandardCharsets.UTF_8), 64 * 1024);
  }

  /** Spreadsheets save CSV with a UTF-8 byte order mark; it is not part of the first column's name. */
  private static InputStream withoutBom(InputStream in) {
    try {
      PushbackInputStream pushback = new PushbackInputStream(in, 3);
      byte[] head = new byte[3];
      int n = pushback.readNBytes(head, 0, 3);
      boolean bom = n == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF;
      if (!bom && n > 0) pushback.unread(head, 0, n);
      return pushback;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
  static final class CsvReader {
    record Record(int line, List<String> fields, String error) {}

    private final Reader in;
    private int line = 1;
    private int pending = -2;

    CsvReader(Reader in) {
      this.in = in;
    }

    private int read() throws IOException {
      if (pending != -2) {
        int c = pending;
        pending = -2;
        return c;
      }
      return in.read();
    }

    /** The next record, skipping blank lines; null at the end. */
    Record next() throws IOException {
      int c = read();
      while (c == '\n' || c == '\r') {
        if (c == '\r') {
          int d = read();
          if (d != '\n') pending = d;
        }
        line++;
        c = read();
      }
      if (c == -1) return null;
      int start = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean afterQuote = false;
      String error = null;
      while (true) {
        if (quoted) {
          if (c == -1) {
            return new Record(start, fields, "a quoted field is not closed");
          }
          if (c == '"') {
            int d = read();
            if (d == '"') {
              field.append('"');
            } else {
              quoted = false;
              afterQuote = true;
              c = d;
              continue;
            }
          } else {
            if (c == '\n') line++;
            field.append((char) c);
          }
        } else if (c == ',' ) {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
        } else if (c == '\n' || c == '\r' || c == -1) {
          if (c == '\r') {
            int d = read();
            if (d != '\n') pending = d;
          }
          if (c != -1) line++;
          fields.add(field.toString());
          return new Record(start, fields, error);
        } else if (c == '"' && field.isEmpty() && !afterQuote) {
          quoted = true;
        } else {
          if (afterQuote && error == null) error = "unexpected text after a closing quote";
          field.append((char) c);
        }
        c = read();
      }
    }
  }
}
