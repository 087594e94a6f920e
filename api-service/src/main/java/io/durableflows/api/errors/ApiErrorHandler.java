package io.durableflows.api.errors;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error leaves as JSON {@code {error, message}}; never a stack trace. */
@RestControllerAdvice
class ApiErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> api(ApiException e) {
    return json(e.status(), e.body());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_json", "the request body is missing or is not valid JSON of the expected shape");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send Content-Type: application/json");
  }

  /** A multipart upload past spring.servlet.multipart's limits (POST /api/v1/files). */
  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<Map<String, Object>> tooLarge(MaxUploadSizeExceededException e) {
    return error(HttpStatus.PAYLOAD_TOO_LARGE, "file_too_large", "the upload is larger than allowed (100 MB)");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
    return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMethod() + " is not supported on this route");
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request", "query parameter '" + e.getParameterName() + "' is required");
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Map<String, Object>> missingHeader(MissingRequestHeaderException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request", "header '" + e.getHeaderName() + "' is required");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Map<String, Object>> badParameter(MethodArgumentTypeMismatchException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request", "'" + e.getName() + "' has an invalid value");
  }

  /** Two requests created the same thing at once: the loser hears what a sequential caller would. */
  @ExceptionHandler(DuplicateKeyException.class)
  ResponseEntity<Map<String, Object>> duplicate(DuplicateKeyException e) {
    return error(HttpStatus.CONFLICT, "conflict", "it already exists (created by a concurrent request)");
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<Map<String, Object>> noRoute(Exception e) {
    return error(HttpStatus.NOT_FOUND, "not_found", "no such route");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
    if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
      // Spring's own client errors (406, missing path variables...) keep their status, in our shape.
      HttpStatus status = HttpStatus.valueOf(known.getStatusCode().value());
      return error(status, status.name().toLowerCase(), status.getReasonPhrase());
    }
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred");
  }

  static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    return json(status, body);
  }

  private static ResponseEntity<Map<String, Object>> json(HttpStatus status, Map<String, Object> body) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
