package io.durableflows.workflows.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpToolConfigTest {
  @Test
  void problems_ofAUsableConfig_areNone() {
    assertThat(HttpToolConfig.problems(Map.of("method", "post", "url", "https://api.example.com/v1/{{args.id}}?k={{secrets.KEY}}",
        "headers", Map.of("Authorization", "Bearer {{secrets.KEY}}"), "body", Map.of("q", "{{args.q}}"),
        "timeout", "30s", "maxResponseBytes", 2048, "allowHosts", List.of("api.internal", "*.corp.example",
            "10.0.0.0/8", "fd00::/8", "192.168.1.10")))).isEmpty();
  }

  @Test
  void problems_nameEachBadField() {
    List<String> problems = HttpToolConfig.problems(Map.of("method", "BREW", "url", "ftp://x", "timeout", "2m",
        "maxResponseBytes", 20_000_000, "allowHosts", List.of("10.0.0.0/99", "bad host"), "extra", 1));

    assertThat(problems).anyMatch(p -> p.startsWith("method:")).anyMatch(p -> p.startsWith("url:"))
        .anyMatch(p -> p.startsWith("timeout:")).anyMatch(p -> p.startsWith("maxResponseBytes:"))
        .anyMatch(p -> p.contains("10.0.0.0/99")).anyMatch(p -> p.contains("bad host"))
        .anyMatch(p -> p.startsWith("extra:"));
  }

  @Test
  void problems_refuseAHostFromAPlaceholder_otherTemplateRoots_restrictedHeaders_andAGetBody() {
    assertThat(HttpToolConfig.problems(Map.of("url", "https://{{args.host}}/x"))).singleElement()
        .asString().contains("host must be written out");
    assertThat(HttpToolConfig.problems(Map.of("url", "https://user@example.com/x"))).isNotEmpty();
    assertThat(HttpToolConfig.problems(Map.of("url", "https://example.com/{{input.x}}"))).singleElement()
        .asString().contains("{{args.NAME}} or {{secrets.NAME}}");
    assertThat(HttpToolConfig.problems(Map.of("url", "https://example.com/", "headers", Map.of("Host", "evil"))))
        .singleElement().asString().contains("set by the HTTP client");
    assertThat(HttpToolConfig.problems(Map.of("url", "https://example.com/", "body", Map.of("a", 1))))
        .singleElement().asString().contains("GET request has no body");
  }

  @Test
  void parse_appliesDefaults_andListsTheSecretsUsed() {
    HttpToolConfig config = HttpToolConfig.parse(Map.of("url", "https://example.com/{{secrets.A}}",
        "headers", Map.of("X-Key", "{{secrets.B}}")));

    assertThat(config.method()).isEqualTo("GET");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxResponseBytes()).isEqualTo(1024 * 1024);
    assertThat(config.secretNames()).containsExactlyInAnyOrder("A", "B");
  }

  @Test
  void toolDefinitionProblems_includeTheHttpOnes() {
    assertThat(ToolDefinition.problems(Map.of("name", "w", "kind", "http", "description", "d",
        "http", Map.of("url", "nope")))).singleElement().asString().startsWith("http.url:");
  }
}
