package io.durableflows.activities.tools.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.activities.secrets.SecretSource;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HttpToolExecutorTest {
  private static final StubHttpServer SERVER = new StubHttpServer();
  private static final String ORG = "org_test";
  private static final String KEY = "sk-live-0123456789abcdef";
  private static final SecretSource SECRETS = new SecretSource() {
    @Override
    public Optional<String> orgOfRun(String runId) {
      return Optional.of(ORG);
    }

    @Override
    public Optional<String> value(String orgId, String name) {
      return ORG.equals(orgId) && name.equals("WEATHER_KEY") ? Optional.of(KEY) : Optional.empty();
    }
  };
  private final HttpToolExecutor executor = new HttpToolExecutor(SECRETS, HostRules.NONE, new AddressGuard());

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  private static ToolDefinition tool(Map<String, Object> http) {
    Map<String, Object> h = new LinkedHashMap<>(http);
    h.putIfAbsent("allowHosts", List.of("127.0.0.1"));
    return new ToolDefinition("weather", "Weather for a city", ToolDefinition.HTTP, null, null, h, null, null);
  }

  private HttpToolExecutor.Result run(Map<String, Object> http, Map<String, Object> args) {
    return executor.run(() -> ORG, tool(http), args, HttpToolExecutor.Budget.NONE);
  }

  private ApplicationFailure failure(Map<String, Object> http) {
    return catchThrowableOfType(ApplicationFailure.class, () -> run(http, Map.of()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> output(HttpToolExecutor.Result r) {
    return (Map<String, Object>) r.output();
  }

  @Test
  void get_jsonResponse_isParsedAndUrlPlaceholdersAreEncoded() {
    var r = run(Map.of("url", SERVER.url("/json?q={{args.city}}")), Map.of("city", "São Paulo & co"));

    assertThat(output(r)).containsEntry("status", 200).containsEntry("truncated", false);
    assertThat(output(r).get("body")).isEqualTo(Map.of("query", "q=S%C3%A3o%20Paulo%20%26%20co", "path", "/json",
        "temp", 21.5));
    assertThat((Map<String, Object>) output(r).get("headers")).containsEntry("content-type", "application/json");
    assertThat(r.text()).contains("\"temp\":21.5");
  }

  @Test
  void get_textResponse_isKeptAsText() {
    var r = run(Map.of("url", SERVER.url("/text")), Map.of());

    assertThat(output(r).get("body")).isEqualTo("sunny and warm");
    assertThat(r.text()).isEqualTo("sunny and warm");
  }

  @Test
  void post_bodyTemplateKeepsJsonTypes_andSecretsFillHeadersButNeverTheOutput() {
    var r = run(Map.of("method", "POST", "url", SERVER.url("/echo"),
            "headers", Map.of("Authorization", "Bearer {{secrets.WEATHER_KEY}}"),
            "body", Map.of("city", "{{args.city}}", "days", "{{args.days}}", "label", "for {{args.city}}")),
        Map.of("city", "Lyon", "days", 3));

    Map<String, Object> body = (Map<String, Object>) output(r).get("body");
    assertThat(body).containsEntry("method", "POST").containsEntry("contentType", "application/json")
        .containsEntry("body", Map.of("city", "Lyon", "days", 3, "label", "for Lyon"));
    // the server echoed the key back: it is redacted in what the run keeps and the model reads
    assertThat(body.get("auth")).isEqualTo("Bearer [secret]");
    assertThat(r.text()).doesNotContain(KEY).contains("Bearer [secret]");
  }

  @Test
  void unknownSecret_failsAtOnceNamingTheSecret() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/json?key={{secrets.NOPE}}")));

    assertThat(f.getType()).isEqualTo(ToolFailures.SECRET_NOT_FOUND);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("'NOPE'");
  }

  @Test
  void response_overTheCap_isCutAndMarkedTruncatedWithoutReadingTheRest() {
    var r = run(Map.of("url", SERVER.url("/big"), "maxResponseBytes", 1000), Map.of());

    assertThat(output(r)).containsEntry("truncated", true);
    assertThat((String) output(r).get("body")).hasSize(1000);
    assertThat(r.text()).endsWith("[response truncated at 1000 bytes]");
  }

  @Test
  void slowEndpoint_timesOutAsRetryable() {
    long started = System.nanoTime();
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/slow"), "timeout", "500ms"));

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_UNAVAILABLE);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getOriginalMessage()).contains("no answer within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void status4xx_isNonRetryableHttpToolError() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/missing?key={{secrets.WEATHER_KEY}}")));

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_ERROR);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("404").contains("no such city").doesNotContain(KEY);
  }

  @Test
  void status5xx_isRetryable_andTheNextCallGoesThrough() {
    long started = System.nanoTime();
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/flaky")));
    var r = run(Map.of("url", SERVER.url("/flaky")), Map.of());

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_UNAVAILABLE);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(output(r)).containsEntry("status", 200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void failureMessages_neverCarryASecretFromTheUrlPath() {
    SecretSource spaced = new SecretSource() {
      @Override
      public Optional<String> orgOfRun(String runId) {
        return Optional.of(ORG);
      }

      @Override
      public Optional<String> value(String orgId, String name) {
        return Optional.of("pa ss/wörd");
      }
    };
    HttpToolExecutor withSpacedSecret = new HttpToolExecutor(spaced, HostRules.NONE, new AddressGuard());

    ApplicationFailure f = catchThrowableOfType(ApplicationFailure.class, () -> withSpacedSecret.run(() -> ORG,
        tool(Map.of("url", SERVER.url("/slow/{{secrets.K}}"), "timeout", "200ms")), Map.of(),
        HttpToolExecutor.Budget.NONE));

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_UNAVAILABLE);
    assertThat(f.getOriginalMessage()).contains("/slow/[secret]").doesNotContain("pa%20ss").doesNotContain("pa ss");
  }

  @Test
  void status429_isRetryableAfterRetryAfter() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/limited")));

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_UNAVAILABLE);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void redirectToTheSameAllowedHost_isFollowed() {
    var r = run(Map.of("url", SERVER.url("/to-json")), Map.of());

    assertThat(((Map<String, Object>) output(r).get("body")).get("query")).isEqualTo("from=redirect");
  }

  @Test
  void redirectFromAnAllowedHostToAPrivateAddress_isBlocked() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/to-private")));

    assertThat(f.getType()).isEqualTo(ToolFailures.TOOL_BLOCKED);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("10.0.0.1").contains("private").contains("redirect");
  }

  @Test
  void redirectToCloudMetadata_isBlocked() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/to-metadata")));

    assertThat(f.getType()).isEqualTo(ToolFailures.TOOL_BLOCKED);
    assertThat(f.getOriginalMessage()).contains("cloud metadata");
  }

  @Test
  void redirectLoop_stopsAfterFiveRedirects() {
    ApplicationFailure f = failure(Map.of("url", SERVER.url("/loop")));

    assertThat(f.getType()).isEqualTo(ToolFailures.HTTP_TOOL_ERROR);
    assertThat(f.getOriginalMessage()).contains("more than 5 redirects");
  }

  @Test
  void loopbackWithoutAllowlist_isBlockedBeforeAnyRequest() {
    for (String url : List.of(SERVER.url("/json"), "http://localhost:" + SERVER.port() + "/json",
        "http://[::1]:" + SERVER.port() + "/json", "http://127.1.2.3/", "http://[::ffff:127.0.0.1]/")) {
      Map<String, Object> http = new LinkedHashMap<>();
      http.put("url", url);
      http.put("allowHosts", List.of());
      ApplicationFailure f = failure(http);
      assertThat(f.getType()).as(url).isEqualTo(ToolFailures.TOOL_BLOCKED);
      assertThat(f.getOriginalMessage()).as(url).contains("loopback");
    }
  }

  @Test
  void privateLinkLocalAndMetadataAddresses_areBlocked() {
    Map<String, String> cases = Map.of(
        "http://10.0.0.1/", "private",
        "http://172.16.5.4/", "private",
        "http://192.168.1.1/", "private",
        "http://169.254.169.254/latest/meta-data/", "cloud metadata",
        "http://169.254.10.1/", "link-local",
        "http://[fd00:ec2::254]/", "cloud metadata",
        "http://[fe80::1]/", "link-local",
        "http://[fc00::1]/", "private",
        "http://0.0.0.0/", "unspecified",
        "http://metadata.google.internal/computeMetadata/v1/", "cloud metadata");
    cases.forEach((url, kind) -> {
      Map<String, Object> http = new LinkedHashMap<>();
      http.put("url", url);
      http.put("allowHosts", List.of());
      ApplicationFailure f = failure(http);
      assertThat(f.getType()).as(url).isEqualTo(ToolFailures.TOOL_BLOCKED);
      assertThat(f.getOriginalMessage()).as(url).contains(kind);
    });
  }

  @Test
  void aNameResolvingToLoopback_isBlockedAfterResolution() {
    // a public-looking name whose DNS answer is loopback (the rebinding trick), among public answers
    AddressGuard rebinding = new AddressGuard(host -> new InetAddress[] {
        InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14}),
        InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});
    HttpToolExecutor guarded = new HttpToolExecutor(SECRETS, HostRules.NONE, rebinding);
    ToolDefinition def = new ToolDefinition("t", "d", ToolDefinition.HTTP, null, null,
        Map.of("url", "http://weather.example.com/today"), null, null);

    ApplicationFailure f = catchThrowableOfType(ApplicationFailure.class,
        () -> guarded.run(() -> ORG, def, Map.of(), HttpToolExecutor.Budget.NONE));

    assertThat(f.getType()).isEqualTo(ToolFailures.TOOL_BLOCKED);
    assertThat(f.getOriginalMessage()).contains("weather.example.com").contains("127.0.0.1").contains("loopback");
  }

  @Test
  void workerWideAllowlist_permitsTheLocalServer() {
    HttpToolExecutor permissive = new HttpToolExecutor(SECRETS, HostRules.parse("127.0.0.0/8"), new AddressGuard());
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("url", "http://localhost:" + SERVER.port() + "/text");
    http.put("allowHosts", List.of());

    var r = permissive.run(() -> ORG, tool(http), Map.of(), HttpToolExecutor.Budget.NONE);

    assertThat(output(r)).containsEntry("status", 200);
  }

  @Test
  void otherSchemes_areBlocked() {
    AddressGuard guard = new AddressGuard();
    var e = catchThrowableOfType(AddressGuard.Blocked.class,
        () -> guard.check(java.net.URI.create("file:///etc/passwd"), HostRules.NONE, HostRules.NONE));
    assertThat(e.getMessage()).contains("only http and https");
  }

  @Test
  void invalidDefinition_failsAsInvalidToolDefinition() {
    ApplicationFailure f = failure(Map.of("url", "ftp://example.com/x", "timeout", "5m"));

    assertThat(f.getType()).isEqualTo(ToolFailures.INVALID_DEFINITION);
    assertThat(f.getOriginalMessage()).contains("http.url").contains("http.timeout");
  }
}
