package io.durableflows.api.runs;

import io.durableflows.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request's {@code Idempotency-Key} and a hash of what it asks (route and body, keys sorted): a retry with the
 * same key and the same request gets the run the first one started; the same key with another request is 422.
 */
public record Idempotency(String key, String requestHash) {
  private static final int MAX_KEY = 255;
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** The request's key, or null when it sent none. */
  public static Idempotency of(HttpServletRequest request, Object body) {
    String key = request.getHeader("Idempotency-Key");
    if (key == null) return null;
    key = key.strip();
    if (key.isEmpty() || key.length() > MAX_KEY || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw ApiException.badRequest("invalid_request",
          "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters");
    }
    return new Idempotency(key, hash(request.getMethod() + " " + request.getRequestURI() + "\n"
        + CANONICAL.writeValueAsString(body)));
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
