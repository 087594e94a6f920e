package io.durableflows.api.system;

import io.durableflows.api.gateway.TemporalGateway;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.catalog.ModelInfo;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SystemController {
  private final JdbcClient jdbc;
  private final TemporalGateway temporal;

  SystemController(JdbcClient jdbc, TemporalGateway temporal) {
    this.jdbc = jdbc;
    this.temporal = temporal;
  }

  @GetMapping("/")
  Map<String, Object> root() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", "Durable Flows");
    out.put("status", "ok");
    out.put("docs", "/docs");
    out.put("openapi", "/openapi.json");
    return out;
  }

  @GetMapping("/health")
  Map<String, Object> health() {
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("used_mb", (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
    memory.put("total_mb", rt.totalMemory() / (1024 * 1024));
    memory.put("max_mb", rt.maxMemory() / (1024 * 1024));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "ok");
    out.put("uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    out.put("memory", memory);
    return out;
  }

  @GetMapping("/ready")
  ResponseEntity<Map<String, Object>> ready() {
    boolean database;
    try {
      database = jdbc.sql("select 1").query(Integer.class).single() == 1;
    } catch (RuntimeException e) {
      database = false;
    }
    boolean temporalUp = temporal.ping();
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("postgres", database ? "ok" : "unavailable");
    checks.put("temporal", temporalUp ? "ok" : "unavailable");
    boolean ready = database && temporalUp;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", ready ? "ready" : "not_ready");
    out.put("checks", checks);
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(out);
  }

  @GetMapping("/api/v1/models")
  Map<String, Object> models() {
    return Map.of("data", ModelCatalog.all().stream().map(SystemController::view).toList());
  }

  @GetMapping(value = "/redoc", produces = MediaType.TEXT_HTML_VALUE)
  String redoc() {
    return """
        <!DOCTYPE html>
        <html><head><title>Durable Flows API</title><meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body><redoc spec-url="/openapi.json"></redoc>
        <script src="https://cdn.redoc.ly/redoc/latest/bundles/redoc.standalone.js"></script></body></html>
        """;
  }

  private static Map<String, Object> view(ModelInfo m) {
    Map<String, Object> pricing = new LinkedHashMap<>();
    pricing.put("currency", "USD");
    pricing.put("input_per_million_tokens", m.inputPerMillion());
    pricing.put("output_per_million_tokens", m.outputPerMillion());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("provider", m.provider());
    out.put("capabilities", m.capabilities());
    out.put("context_window", m.contextWindow());
    out.put("pricing", pricing);
    return out;
  }
}
