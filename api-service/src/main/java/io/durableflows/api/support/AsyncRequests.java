package io.durableflows.api.support;

import io.durableflows.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Locale;

/**
 * Whether the caller asked not to wait: {@code Prefer: respond-async} (RFC 7240) or {@code ?async=true}. Such
 * requests are answered 202 with where to look, and the work goes on in the background.
 */
public final class AsyncRequests {
  private AsyncRequests() {}

  public static boolean requested(HttpServletRequest request) {
    String param = request.getParameter("async");
    if (param != null && !param.equals("true") && !param.equals("false")) {
      throw ApiException.badRequest("invalid_request", "async must be true or false");
    }
    if ("true".equals(param)) return true;
    for (String header : Collections.list(request.getHeaders("Prefer"))) {
      for (String preference : header.split(",")) {
        String name = preference.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (name.equals("respond-async")) return true;
      }
    }
    return false;
  }
}
