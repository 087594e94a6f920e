package io.durableflows.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks the production topology in {@code docker-compose.yml} against the repository: the services the apps
 * need, how they are wired and started, and that every environment variable the apps' sources read is set on
 * the service that runs them. The variables are found by scanning the sources at test time, so the test keeps
 * up as the apps grow. There is no Docker engine involved: the file is parsed, not run.
 */
class DockerComposeFileTest {

  private static final List<String> REQUIRED_SERVICES = List.of(
      "postgres", "temporal", "temporal-admin-tools", "temporal-ui", "qdrant", "api-service", "workers");

  /** Services the apps rely on being up, so compose must be able to tell when they are. */
  private static final List<String> SERVICES_NEEDING_HEALTHCHECKS = List.of("postgres", "temporal", "qdrant", "api-service");

  /** What the API and the workers connect to; both must see the same values. */
  private static final List<String> SHARED_VARS = List.of(
      "DF_DATABASE_URL", "DF_DATABASE_USER", "DF_DATABASE_PASSWORD", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE");

  private static final List<String> SEARCH_ATTRIBUTES = List.of("DfOrg", "DfFlow", "DfVersion", "DfStatus");

  /**
   * The modules whose code and configuration a compose service's process runs. In compose the API runs without
   * in-process workers, so it does not get the workers' {@code df-workers.properties}/{@code workers.yml}
   * (the workers module is on its classpath only for the embedded local default).
   */
  private static final Map<String, List<String>> MODULES_BY_SERVICE = Map.of(
      "api-service", List.of("api-service", "workflows"),
      "workers", List.of("workers", "activities", "workflows"));

  /**
   * Variables the apps read that production deliberately leaves to the apps' defaults, with the reason. Keep this
   * short. Nothing that points an app at its infrastructure (database, Temporal) may be listed here: see
   * {@link #leftToDefaults_neverExemptsTheConnectionSettings()}.
   */
  private static final Map<String, String> LEFT_TO_DEFAULTS = Map.of(
      // The embedded Temporal test server (the local default) listens on this port; in compose the API
      // connects to the real cluster at TEMPORAL_ADDRESS and starts no test server.
      "DF_TEMPORAL_PORT", "only the embedded Temporal test server uses it",
      // Spring's own name, accepted by the API as an alternative to DF_DATABASE_URL (which compose sets, and which
      // the test checks points at the compose postgres).
      "SPRING_DATASOURCE_URL", "an alternative to DF_DATABASE_URL, which compose sets");

  /** A Spring placeholder naming an environment variable: {@code ${NAME}} or {@code ${NAME:default}}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?=[:}])");
  /**
   * {@code System.getenv("NAME")}, and lookups in the environment map: {@code System.getenv().get("NAME")}, or
   * {@code env.getOrDefault("NAME", ..)} on a map passed around under a name containing "env".
   */
  private static final Pattern GETENV = Pattern.compile(
      "getenv\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)"
          + "|\\b(?i:\\w*env\\w*)\\s*(?:\\(\\s*\\))?\\s*\\.\\s*(?:get|getOrDefault|containsKey)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
  /** Spring {@code Environment} lookups by an upper-case (environment variable) name. */
  private static final Pattern ENVIRONMENT_LOOKUP = Pattern.compile(
      "\\.(?:getProperty|getRequiredProperty|containsProperty)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
  private static final Pattern JAVA_STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"");
  /** Compose interpolation: {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?err}}. */
  private static final Pattern COMPOSE_VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
  private static final Pattern CREATE_DATABASE =
      Pattern.compile("(?i)\\bCREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z0-9_]+)\"?");

  private static Path root;
  private static Map<String, Object> services;

  @BeforeAll
  static void loadCompose() throws IOException {
    root = repositoryRoot();
    Map<String, Object> compose;
    try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
      compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
    assertThat(compose).as("docker-compose.yml").isNotNull().containsKey("services");
    services = map(compose.get("services"), "services");
  }

  @Test
  void compose_definesEveryServiceTheAppsNeed() {
    assertThat(services.keySet()).as("services in docker-compose.yml").containsAll(REQUIRED_SERVICES);
  }

  @Test
  void temporal_persistsToThePostgresServiceAndStartsAfterIt() {
    Map<String, String> env = environment("temporal");
    assertThat(env.get("DB")).as("services.temporal.environment.DB (SQL persistence plugin)")
        .isIn("postgres12", "postgres12_pgx");
    String seeds = resolved(env.get("POSTGRES_SEEDS"), "temporal", "POSTGRES_SEEDS");
    assertThat(seeds).as("services.temporal.environment.POSTGRES_SEEDS names the postgres service").isEqualTo("postgres");
    assertThat(env.get("POSTGRES_USER")).as("services.temporal.environment.POSTGRES_USER")
        .isEqualTo(environment("postgres").get("POSTGRES_USER"));
    assertThat(env.get("POSTGRES_PWD")).as("services.temporal.environment.POSTGRES_PWD")
        .isEqualTo(environment("postgres").get("POSTGRES_PASSWORD"));
    Set<String> created = databasesCreatedByInitScript();
    assertThat(created).as("databases created by deploy/postgres/init.sql for Temporal")
        .contains(env.getOrDefault("DBNAME", "temporal"), env.getOrDefault("VISIBILITY_DBNAME", "temporal_visibility"));
    assertThat(dependsOn("temporal")).as("services.temporal.depends_on").containsEntry("postgres", "service_healthy");
  }

  @Test
  void postgres_runsTheInitScriptThatCreatesTheDatabases() {
    assertThat(Files.isRegularFile(root.resolve("deploy/postgres/init.sql"))).as("deploy/postgres/init.sql exists").isTrue();
    List<String> volumes = strings(service("postgres").get("volumes"), "services.postgres.volumes");
    assertThat(volumes).as("services.postgres.volumes mounts deploy/postgres/init.sql into /docker-entrypoint-initdb.d")
        .anySatisfy(v -> assertThat(v).matches("\\.?/?deploy/postgres/init\\.sql:/docker-entrypoint-initdb\\.d/.*"));
  }

  @Test
  void temporalUi_publishes8080AndPointsAtTemporal() {
    assertThat(ports("temporal-ui")).as("services.temporal-ui.ports").contains("8080:8080");
    assertThat(resolved(environment("temporal-ui").get("TEMPORAL_ADDRESS"), "temporal-ui", "TEMPORAL_ADDRESS"))
        .as("services.temporal-ui.environment.TEMPORAL_ADDRESS").isEqualTo("temporal:7233");
  }

  @Test
  void temporalAdminTools_createsTheNamespaceAndTheSearchAttributesTheApiTagsRunsWith() {
    Map<String, String> env = environment("temporal-admin-tools");
    assertThat(env.get("TEMPORAL_ADDRESS")).as("services.temporal-admin-tools.environment.TEMPORAL_ADDRESS")
        .isEqualTo(environment("api-service").get("TEMPORAL_ADDRESS"));
    String script = commandText("temporal-admin-tools");
    assertThat(script).as("services.temporal-admin-tools.command").contains("temporal operator namespace create");
    String namespace = environment("api-service").get("TEMPORAL_NAMESPACE");
    assertThat(namespace.equals(env.get("TEMPORAL_NAMESPACE")) || script.contains(namespace))
        .as("temporal-admin-tools creates the namespace the apps use (%s)", namespace).isTrue();
    assertThat(script).as("services.temporal-admin-tools.command")
        .contains("temporal operator search-attribute create").contains("Keyword");
    for (String attribute : SEARCH_ATTRIBUTES) {
      assertThat(script).as("temporal-admin-tools creates search attribute %s", attribute).contains(attribute);
    }
  }

  @Test
  void appServices_areBuiltFromTheirModuleDockerfiles() {
    for (String app : List.of("api-service", "workers")) {
      Object build = service(app).get("build");
      assertThat(build).as("services.%s.build", app).isNotNull();
      String context = build instanceof Map<?, ?> m ? String.valueOf(m.get("context")) : String.valueOf(build);
      String dockerfile = build instanceof Map<?, ?> m && m.get("dockerfile") != null
          ? String.valueOf(m.get("dockerfile")) : "Dockerfile";
      assertThat(root.resolve(context).normalize()).as("services.%s.build.context is the repository root", app)
          .isEqualTo(root);
      Path file = root.resolve(context).resolve(dockerfile).normalize();
      assertThat(file).as("services.%s.build.dockerfile", app).isEqualTo(root.resolve(app).resolve("Dockerfile"));
      assertThat(Files.isRegularFile(file)).as("%s exists", root.relativize(file)).isTrue();
    }
  }

  @Test
  void appDockerfiles_packageTheirOwnModuleAndRunAsNonRoot() throws IOException {
    for (String app : List.of("api-service", "workers")) {
      String dockerfile = Files.readString(root.resolve(app).resolve("Dockerfile"));
      assertThat(dockerfile).as("%s/Dockerfile builds its module", app).contains("-pl " + app + " ");
      String lastUser = dockerfile.lines().map(String::strip).filter(l -> l.startsWith("USER "))
          .reduce((a, b) -> b).orElse("USER root");
      assertThat(lastUser).as("%s/Dockerfile runtime user", app).isNotIn("USER root", "USER 0");
    }
  }

  @Test
  void servicesOthersWaitOn_defineHealthchecks() {
    Set<String> needHealthchecks = new LinkedHashSet<>(SERVICES_NEEDING_HEALTHCHECKS);
    services.keySet().forEach(s -> dependsOn(s).forEach((target, condition) -> {
      if ("service_healthy".equals(condition)) needHealthchecks.add(target);
    }));
    for (String name : needHealthchecks) {
      Map<String, Object> service = service(name);
      assertThat(service.get("healthcheck")).as("services.%s.healthcheck", name).isNotNull();
      Map<String, Object> healthcheck = map(service.get("healthcheck"), "services." + name + ".healthcheck");
      assertThat(healthcheck.get("disable")).as("services.%s.healthcheck.disable", name).isNotEqualTo(true);
      Object test = healthcheck.get("test");
      assertThat(test).as("services.%s.healthcheck.test", name).isNotNull();
      assertThat(test instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(test)))
          .as("services.%s.healthcheck.test", name).isNotEmpty().doesNotContain("NONE");
    }
  }

  @Test
  void apiService_startsOnlyOnceDatabaseTemporalAndSearchAttributesAreReady() {
    assertThat(dependsOn("api-service")).as("services.api-service.depends_on")
        .containsEntry("postgres", "service_healthy")
        .containsEntry("temporal", "service_healthy")
        .containsEntry("temporal-admin-tools", "service_completed_successfully");
  }

  @Test
  void workers_startOnlyOnceTheApiHasMigratedTheSchemaAndTemporalIsUp() {
    assertThat(dependsOn("workers")).as("services.workers.depends_on")
        .containsEntry("api-service", "service_healthy")
        .containsEntry("temporal", "service_healthy");
  }

  @Test
  void apiService_listensOnThePublishedPortAndIsProbedOnReady() {
    String port = resolved(environment("api-service").get("PORT"), "api-service", "PORT");
    assertThat(ports("api-service")).as("services.api-service.ports").contains(port + ":" + port);
    assertThat(String.valueOf(map(service("api-service").get("healthcheck"), "healthcheck").get("test")))
        .as("services.api-service.healthcheck.test").contains("localhost:" + port + "/ready");
  }

  @Test
  void apiService_isGivenEveryEnvVarTheApiSourcesRead() {
    assertEveryVarReadIsSet("api-service");
  }

  @Test
  void workers_areGivenEveryEnvVarTheWorkersSourcesRead() {
    assertEveryVarReadIsSet("workers");
  }

  @Test
  void sharedConnectionSettings_areIdenticalForApiAndWorkers() {
    Map<String, String> api = environment("api-service");
    Map<String, String> workers = environment("workers");
    for (String name : SHARED_VARS) {
      assertThat(api).as("services.api-service.environment sets %s", name).containsKey(name);
      assertThat(workers).as("services.workers.environment sets %s", name).containsKey(name);
      assertThat(workers.get(name)).as("%s: workers value must equal api-service value", name).isEqualTo(api.get(name));
    }
  }

  @Test
  void databaseUrl_pointsAtThePostgresServiceAndADatabaseTheInitScriptCreates() {
    String url = resolved(environment("api-service").get("DF_DATABASE_URL"), "api-service", "DF_DATABASE_URL");
    assertThat(url).as("DF_DATABASE_URL").startsWith("jdbc:postgresql://");
    URI uri = URI.create(url.substring("jdbc:".length()));
    assertThat(services).as("DF_DATABASE_URL host %s is a compose service", uri.getHost()).containsKey(uri.getHost());
    assertThat(String.valueOf(service(uri.getHost()).get("image"))).as("image of DF_DATABASE_URL host %s", uri.getHost())
        .startsWith("postgres");
    assertThat(uri.getPort()).as("DF_DATABASE_URL port").isIn(-1, 5432);
    String database = uri.getPath().replaceFirst("^/", "");
    assertThat(databasesCreatedByInitScript()).as("databases created by deploy/postgres/init.sql").contains(database);
  }

  @Test
  void databaseCredentials_matchThePostgresService() {
    Map<String, String> postgres = environment("postgres");
    Map<String, String> api = environment("api-service");
    assertThat(api.get("DF_DATABASE_USER")).as("DF_DATABASE_USER vs services.postgres POSTGRES_USER")
        .isEqualTo(postgres.get("POSTGRES_USER"));
    assertThat(api.get("DF_DATABASE_PASSWORD")).as("DF_DATABASE_PASSWORD vs services.postgres POSTGRES_PASSWORD")
        .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
  }

  @Test
  void temporalAddress_pointsAtTheTemporalService() {
    String address = resolved(environment("api-service").get("TEMPORAL_ADDRESS"), "api-service", "TEMPORAL_ADDRESS");
    int colon = address.lastIndexOf(':');
    assertThat(colon).as("TEMPORAL_ADDRESS %s is host:port", address).isPositive();
    assertThat(address.substring(0, colon)).as("TEMPORAL_ADDRESS host").isEqualTo("temporal");
    assertThat(services).as("services").containsKey("temporal");
    assertThat(address.substring(colon + 1)).as("TEMPORAL_ADDRESS port (Temporal frontend gRPC)").isEqualTo("7233");
  }

  @Test
  void leftToDefaults_neverExemptsTheConnectionSettings() {
    assertThat(LEFT_TO_DEFAULTS.keySet()).as("LEFT_TO_DEFAULTS").doesNotContainAnyElementsOf(SHARED_VARS);
    assertThat(LEFT_TO_DEFAULTS.values()).as("every LEFT_TO_DEFAULTS entry gives a reason").allSatisfy(r -> assertThat(r).isNotBlank());
  }

  // --- env vars read by the apps ---------------------------------------------------------------------------------

  private static void assertEveryVarReadIsSet(String service) {
    Map<String, Set<String>> read = envVarsReadBy(service);
    assertThat(read).as("env vars found in the sources of %s (%s) — has the module layout changed?",
        service, MODULES_BY_SERVICE.get(service)).isNotEmpty();
    Map<String, String> env = environment(service);
    List<String> missing = new ArrayList<>();
    read.forEach((name, where) -> {
      if (!env.containsKey(name) && !LEFT_TO_DEFAULTS.containsKey(name)) {
        missing.add(name + " (read in " + String.join(", ", where) + ")");
      }
    });
    if (!missing.isEmpty()) {
      fail("%s reads env vars that services.%s.environment in docker-compose.yml does not set:%n  %s%n"
              + "Set them there, or, if production really should use the app's default, add them to LEFT_TO_DEFAULTS "
              + "with the reason.",
          service, service, String.join(System.lineSeparator() + "  ", missing));
    }
  }

  /** Env var name -> files (relative to the repository root) that read it, for the modules a service runs. */
  private static Map<String, Set<String>> envVarsReadBy(String service) {
    Map<String, Set<String>> found = new TreeMap<>();
    for (String module : MODULES_BY_SERVICE.get(service)) {
      for (Path file : files(root.resolve(module).resolve("src/main/resources"), ".yml", ".yaml", ".properties")) {
        String text = read(file).lines()
            .filter(l -> !l.strip().startsWith("#") && !l.strip().startsWith("!"))
            .collect(Collectors.joining("\n"));
        collect(PLACEHOLDER, text, file, found);
      }
      for (Path file : files(root.resolve(module).resolve("src/main/java"), ".java")) {
        String code = withoutJavaComments(read(file));
        collect(GETENV, code, file, found);
        collect(ENVIRONMENT_LOOKUP, code, file, found);
        Matcher literal = JAVA_STRING_LITERAL.matcher(code);
        while (literal.find()) collect(PLACEHOLDER, literal.group(), file, found);
      }
    }
    return found;
  }

  /** Java source without its comments, so documentation that mentions a variable does not count as reading it. */
  private static String withoutJavaComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        while (i < n && src.charAt(i) != '\n') i++;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        out.append(src, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
        j = Math.min(j + 1, n);
        out.append(src, i, j);
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static void collect(Pattern pattern, String text, Path file, Map<String, Set<String>> found) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      for (int g = 1; g <= m.groupCount(); g++) {
        if (m.group(g) != null) {
          found.computeIfAbsent(m.group(g), k -> new TreeSet<>()).add(root.relativize(file).toString().replace('\\', '/'));
        }
      }
    }
  }

  private static List<Path> files(Path dir, String... suffixes) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(s)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> databasesCreatedByInitScript() {
    Set<String> names = new TreeSet<>();
    Matcher m = CREATE_DATABASE.matcher(read(root.resolve("deploy/postgres/init.sql")));
    while (m.find()) names.add(m.group(1));
    return names;
  }

  // --- compose helpers -------------------------------------------------------------------------------------------

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory with docker-compose.yml and pom.xml above " + Path.of("").toAbsolutePath());
  }

  private static Map<String, Object> service(String name) {
    assertThat(services).as("services").containsKey(name);
    return map(services.get(name), "services." + name);
  }

  /** The service's environment, in either compose syntax (map or list of NAME=value); YAML merge keys applied. */
  private static Map<String, String> environment(String service) {
    Object env = service(service).get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (env instanceof List<?> l) {
      for (Object item : l) {
        String s = String.valueOf(item);
        int eq = s.indexOf('=');
        if (eq < 0) out.put(s, null);
        else out.put(s.substring(0, eq), s.substring(eq + 1));
      }
    }
    return out;
  }

  /** depends_on as target -> condition (the short list syntax means service_started). */
  private static Map<String, String> dependsOn(String service) {
    Object deps = service(service).get("depends_on");
    Map<String, String> out = new LinkedHashMap<>();
    if (deps instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k),
          v instanceof Map<?, ?> c && c.get("condition") != null ? String.valueOf(c.get("condition")) : "service_started"));
    } else if (deps instanceof List<?> l) {
      l.forEach(d -> out.put(String.valueOf(d), "service_started"));
    }
    return out;
  }

  /** Published ports as "host:container" (host IP and protocol dropped). */
  private static Set<String> ports(String service) {
    Object ports = service(service).get("ports");
    Set<String> out = new LinkedHashSet<>();
    if (!(ports instanceof List<?> l)) return out;
    for (Object p : l) {
      if (p instanceof Map<?, ?> m) {
        out.add(m.get("published") + ":" + m.get("target"));
      } else {
        String[] parts = String.valueOf(p).replaceFirst("/(tcp|udp)$", "").split(":");
        out.add(parts.length == 1 ? parts[0] + ":" + parts[0] : parts[parts.length - 2] + ":" + parts[parts.length - 1]);
      }
    }
    return out;
  }

  private static String commandText(String service) {
    Map<String, Object> s = service(service);
    return Stream.of(s.get("entrypoint"), s.get("command"))
        .filter(o -> o != null)
        .map(o -> o instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(" ")) : String.valueOf(o))
        .collect(Collectors.joining(" "));
  }

  /** A compose value with interpolation resolved to its defaults ({@code ${X:-d}} -> d; {@code $$} -> $). */
  private static String resolved(String value, String service, String name) {
    assertThat(value).as("services.%s.environment.%s", service, name).isNotNull();
    Matcher m = COMPOSE_VARIABLE.matcher(value.replace("$$", "\u0000"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (m.group(2) == null || m.group(2).endsWith("?")) {
        fail("services.%s.environment.%s = %s has no default to check against", service, name, value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
    }
    m.appendTail(out);
    return out.toString().replace('\u0000', '$');
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String what) {
    assertThat(o).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<String> strings(Object o, String what) {
    assertThat(o).as(what).isInstanceOf(List.class);
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
