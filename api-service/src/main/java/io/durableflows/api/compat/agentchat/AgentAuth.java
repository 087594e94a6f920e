package io.durableflows.api.compat.agentchat;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.auth.TokenService;
import io.durableflows.api.errors.ApiException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reference 003's three ways to authenticate: {@code x-api-key}, {@code Authorization: Bearer}, or the
 * {@code af_session} cookie, each carrying one of our API tokens. Anything else is 401 {@code invalid_api_key}.
 */
@Component
class AgentAuth {
  static final String COOKIE = "af_session";
  private final TokenService tokens;

  AgentAuth(TokenService tokens) {
    this.tokens = tokens;
  }

  Caller authenticate(HttpServletRequest request) {
    return credential(request).flatMap(tokens::findByRaw).orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED,
        "invalid_api_key", "send a valid key as x-api-key, Authorization: Bearer, or the af_session cookie"));
  }

  private static Optional<String> credential(HttpServletRequest request) {
    String key = request.getHeader("x-api-key");
    if (key != null && !key.isBlank()) return Optional.of(key.strip());
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).strip();
      if (!token.isEmpty()) return Optional.of(token);
    }
    if (request.getCookies() != null) {
      for (Cookie cookie : request.getCookies()) {
        if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isBlank()) return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }
}
