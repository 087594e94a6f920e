package io.durableflows.api.errors;

import io.durableflows.workflows.flow.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error the API answers with: {@code {"error": code, "message": ..., ...extra}} and the given status. */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String code;
  private final Map<String, Object> extra;

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public ApiException(HttpStatus status, String code, String message, Map<String, Object> extra) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message);
  }

  public static ApiException invalid(String code, String message, List<FieldError> errors) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message, Map.of("details", details(errors)));
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, code, message);
  }

  public HttpStatus status() {
    return status;
  }

  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", getMessage());
    body.putAll(extra);
    return body;
  }

  private static List<Map<String, Object>> details(List<FieldError> errors) {
    return errors.stream().map(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      if (e.node() != null) m.put("node", e.node());
      m.put("field", e.field());
      m.put("message", e.message());
      return m;
    }).toList();
  }
}
