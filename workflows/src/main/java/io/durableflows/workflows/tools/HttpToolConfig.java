package io.durableflows.workflows.tools;

import io.durableflows.workflows.flow.Durations;
import io.durableflows.workflows.flow.Templates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code http} part of an HTTP tool's definition:
 * {@code {"method", "url", "headers", "body", "timeout", "maxResponseBytes", "allowHosts"}}. Templates may use
 * {@code {{args.x}}} (the call's arguments; URL placeholders are URL-encoded, a body string that is one placeholder
 * keeps the argument's JSON type) and {@code {{secrets.NAME}}} (resolved inside the activity only). The scheme and
 * host are literal: a model's arguments cannot pick where the request goes.
 */
public record HttpToolConfig(String method, String url, Map<String, String> headers, Object body, Duration timeout,
    int maxResponseBytes, List<String> allowHosts) {
  public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
  public static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
  private static final Set<String> KEYS = Set.of("method", "url", "headers", "body", "timeout", "maxResponseBytes",
      "allowHosts");
  /** Headers the HTTP client sets itself (or that would smuggle a second request). */
  private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "upgrade",
      "expect", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "http2-settings");
  private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$");
  private static final Pattern URL = Pattern.compile("^(?i)(https?)://([^/?#]+)([/?#].*)?$");
  private static final Pattern HOST_NAME = Pattern.compile("^(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?$");
  private static final Pattern IP_LITERAL = Pattern.compile("^(\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f:.]+]?)$");

  /** What is wrong with it, as messages relative to {@code http}; empty when it is usable. */
  public static List<String> problems(Object raw) {
    List<String> problems = new ArrayList<>();
    if (!(raw instanceof Map<?, ?> m)) {
      problems.add("must be an object {\"method\", \"url\", ...}");
      return problems;
    }
    for (Object key : m.keySet()) {
      if (!KEYS.contains(key)) problems.add(key + ": not an http property (" + String.join(", ", KEYS.stream().sorted().toList()) + ")");
    }
    Object method = m.get("method");
    if (method != null && !(method instanceof String s && METHODS.contains(s.toUpperCase(Locale.ROOT)))) {
      problems.add("method: one of " + String.join(", ", METHODS));
    }
    if (!(m.get("url") instanceof String url) || url.isBlank()) {
      problems.add("url: required, an http:// or https:// URL");
    } else {
      Matcher u = URL.matcher(url.strip());
      if (!u.matches()) {
        problems.add("url: must be an absolute http:// or https:// URL");
      } else if (u.group(2).contains("{{") || u.group(2).contains("@")) {
        problems.add("url: the host must be written out (no placeholders or user info before the path)");
      }
      placeholderProblems("url", url, problems);
    }
    Object headers = m.get("headers");
    if (headers != null) {
      if (!(headers instanceof Map<?, ?> h)) {
        problems.add("headers: an object of header names to string templates");
      } else {
        h.forEach((name, value) -> {
          if (!(name instanceof String n) || !HEADER_NAME.matcher(n).matches()) {
            problems.add("headers: '" + name + "' is not a header name");
          } else if (RESTRICTED_HEADERS.contains(n.toLowerCase(Locale.ROOT))) {
            problems.add("headers." + n + ": set by the HTTP client, cannot be given");
          } else if (!(value instanceof String v)) {
            problems.add("headers." + n + ": must be a string");
          } else if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            problems.add("headers." + n + ": must be one line");
          } else {
            placeholderProblems("headers." + n, v, problems);
          }
        });
      }
    }
    if (m.get("body") != null) {
      String verb = method instanceof String s ? s.toUpperCase(Locale.ROOT) : "GET";
      if ("GET".equals(verb)) problems.add("body: a GET request has no body (use POST, PUT or PATCH)");
      placeholderProblems("body", m.get("body"), problems);
    }
    if (m.get("timeout") != null) {
      var d = Durations.parse(m.get("timeout"));
      if (d.isEmpty() || d.get().isZero() || d.get().compareTo(MAX_TIMEOUT) > 0) {
        problems.add("timeout: a duration such as \"10s\", at most 60s");
      }
    }
    Object max = m.get("maxResponseBytes");
    if (max != null && !(max instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.longValue() >= 1 && n.longValue() <= MAX_RESPONSE_BYTES)) {
      problems.add("maxResponseBytes: an integer from 1 to " + MAX_RESPONSE_BYTES + " (10 MiB)");
    }
    Object allow = m.get("allowHosts");
    if (allow != null) {
      if (!(allow instanceof List<?> list)) {
        problems.add("allowHosts: an array of host names (\"api.example.com\", \"*.example.com\"), IPs or CIDRs");
      } else {
        for (Object entry : list) {
          if (!(entry instanceof String s) || !validHostRule(s)) {
            problems.add("allowHosts: '" + entry + "' is not a host name, IP address or CIDR");
          }
        }
      }
    }
    return problems;
  }

  /** A host rule: a name ({@code api.example.com}, {@code *.example.com}), an IP, or a CIDR ({@code 10.0.0.0/8}). */
  public static boolean validHostRule(String rule) {
    String r = rule.strip();
    if (r.isEmpty() || r.length() > 253) return false;
    int slash = r.indexOf('/');
    if (slash >= 0) {
      String bits = r.substring(slash + 1);
      return IP_LITERAL.matcher(r.substring(0, slash)).matches() && bits.matches("\\d{1,3}")
          && Integer.parseInt(bits) <= (r.contains(":") ? 128 : 32);
    }
    return HOST_NAME.matcher(r).matches() || IP_LITERAL.matcher(r).matches();
  }

  private static void placeholderProblems(String where, Object template, List<String> problems) {
    List<String> paths = new ArrayList<>();
    collectPaths(template, paths);
    for (String path : paths) {
      String[] parts = path.split("\\.");
      boolean ok = switch (parts[0]) {
        case "args" -> true;
        case "secrets" -> parts.length == 2;
        default -> false;
      };
      if (!ok) {
        problems.add(where + ": '{{" + path + "}}' must be {{args.NAME}} or {{secrets.NAME}}");
      }
    }
  }

  private static void collectPaths(Object template, List<String> paths) {
    if (template instanceof String s) {
      Matcher m = Templates.PLACEHOLDER.matcher(s);
      while (m.find()) paths.add(m.group(1));
    } else if (template instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectPaths(v, paths));
    } else if (template instanceof List<?> list) {
      list.forEach(v -> collectPaths(v, paths));
    }
  }

  /** The secret names the templates use. */
  public List<String> secretNames() {
    List<String> paths = new ArrayList<>();
    collectPaths(url, paths);
    collectPaths(new ArrayList<>(headers.values()), paths);
    collectPaths(body, paths);
    return paths.stream().filter(p -> p.startsWith("secrets.")).map(p -> p.substring("secrets.".length()))
        .distinct().toList();
  }

  /** Parses a definition's {@code http}; call {@link #problems} first, this assumes a usable one. */
  public static HttpToolConfig parse(Map<String, Object> m) {
    String method = m.get("method") instanceof String s ? s.toUpperCase(Locale.ROOT) : "GET";
    Map<String, String> headers = new LinkedHashMap<>();
    if (m.get("headers") instanceof Map<?, ?> h) h.forEach((k, v) -> headers.put((String) k, (String) v));
    Duration timeout = m.get("timeout") == null ? DEFAULT_TIMEOUT
        : Durations.parse(m.get("timeout")).orElse(DEFAULT_TIMEOUT);
    int max = m.get("maxResponseBytes") instanceof Number n ? n.intValue() : DEFAULT_MAX_RESPONSE_BYTES;
    List<String> allow = new ArrayList<>();
    if (m.get("allowHosts") instanceof List<?> l) l.forEach(v -> allow.add(((String) v).strip()));
    return new HttpToolConfig(method, ((String) m.get("url")).strip(), java.util.Collections.unmodifiableMap(headers), m.get("body"), timeout,
        max, List.copyOf(allow));
  }
}
