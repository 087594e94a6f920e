package io.durableflows.api.files;

import io.durableflows.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Reads an upload from a request, as files and datasets take it: a multipart {@code file} part (spooled to disk by
 * the servlet container; its format from its content type or name) or the raw body (its format from the
 * Content-Type), handed on as a stream, never whole in memory. 415 for another format, 413 past the size limit.
 */
@Component
public class FileUploads {
  private final FileRows files;

  FileUploads(FileRows files) {
    this.files = files;
  }

  /** Stores an upload's stream; {@code filename} is the part's name, the {@code filename} parameter or a default. */
  @FunctionalInterface
  public interface Sink<T> {
    T store(String filename, FileFormat format, InputStream in);
  }

  public <T> T read(HttpServletRequest request, String filename, Sink<T> sink) throws IOException {
    if (request instanceof MultipartHttpServletRequest multipart) {
      MultipartFile file = multipart.getFile("file");
      if (file == null) throw ApiException.badRequest("invalid_request", "the multipart body needs a 'file' part");
      if (file.getSize() > files.maxBytes()) throw files.tooLarge();
      String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
          ? "upload" : file.getOriginalFilename();
      FileFormat format = FileFormat.ofContentType(file.getContentType())
          .or(() -> FileFormat.ofFilename(name))
          .orElseThrow(() -> unsupported(file.getContentType()));
      try (InputStream in = file.getInputStream()) {
        return sink.store(name, format, in);
      }
    }
    FileFormat format = FileFormat.ofContentType(request.getContentType())
        .orElseThrow(() -> unsupported(request.getContentType()));
    String name = filename == null || filename.isBlank() ? "upload." + format.wire() : filename;
    try (InputStream in = request.getInputStream()) {
      if (request.getContentLengthLong() > files.maxBytes()) throw drained(in, files.tooLarge());
      try {
        return sink.store(name, format, in);
      } catch (ApiException e) {
        throw e.status() == HttpStatus.PAYLOAD_TOO_LARGE ? drained(in, e) : e;
      }
    }
  }

  /**
   * Reads the rest of a refused body before answering: HTTP clients (the JDK's among them) report a broken pipe
   * instead of the 413 when the server answers and closes while they are still sending.
   */
  private static ApiException drained(InputStream in, ApiException refusal) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
    return refusal;
  }

  private static ApiException unsupported(String contentType) {
    return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "unsupported file type" + (contentType == null ? "" : " '" + contentType + "'")
            + ": send text/csv, application/json (an array of objects) or application/x-ndjson (JSON Lines),"
            + " as the body or as a multipart 'file' part");
  }
}
