package io.durableflows.api.bootstrap;

import io.durableflows.api.auth.TokenService;
import io.durableflows.api.evals.Evaluators;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.orgs.Organization;
import io.durableflows.api.orgs.OrgService;
import io.durableflows.api.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * First-start data: {@code DF_BOOTSTRAP_ORG} + {@code DF_BOOTSTRAP_TOKEN} create that org and token when absent;
 * the embedded default with no org at all creates org {@code demo}, prints a token once and loads the examples.
 */
@Component
class OrgBootstrap {
  private static final Logger log = LoggerFactory.getLogger(OrgBootstrap.class);
  private final OrgService orgs;
  private final TokenService tokens;
  private final FlowService flows;
  private final Evaluators evaluators;
  private final Json json;
  private final Environment env;
  private final String bootstrapOrg;
  private final String bootstrapToken;
  private final boolean embedded;
  private final boolean adminTokenGenerated;
  private final String adminToken;

  OrgBootstrap(OrgService orgs, TokenService tokens, FlowService flows, Evaluators evaluators, Json json, Environment env,
      @Value("${df.bootstrap.org:}") String bootstrapOrg, @Value("${df.bootstrap.token:}") String bootstrapToken,
      @Value("${df.embedded:false}") boolean embedded,
      @Value("${df.admin-token-generated:false}") boolean adminTokenGenerated,
      @Value("${df.admin-token:}") String adminToken) {
    this.orgs = orgs;
    this.tokens = tokens;
    this.flows = flows;
    this.evaluators = evaluators;
    this.json = json;
    this.env = env;
    this.bootstrapOrg = bootstrapOrg;
    this.bootstrapToken = bootstrapToken;
    this.embedded = embedded;
    this.adminTokenGenerated = adminTokenGenerated;
    this.adminToken = adminToken;
  }

  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  void bootstrap() {
    if (!bootstrapOrg.isBlank() && !bootstrapToken.isBlank()) {
      try {
        Organization org = orgs.find(bootstrapOrg).orElseGet(() -> orgs.create(bootstrapOrg, bootstrapOrg));
        if (tokens.registerIfAbsent(org.id(), "bootstrap", bootstrapToken)) {
          log.info("bootstrap: registered DF_BOOTSTRAP_TOKEN for org {}", org.orgCode());
        }
      } catch (DuplicateKeyException e) {
        // Another API instance bootstrapped at the same moment: what it wrote is what we wanted.
        log.info("bootstrap: org {} was created concurrently", bootstrapOrg);
      }
    }
    if (embedded && orgs.count() == 0) {
      Organization demo = orgs.create("demo", "Demo organization");
      int loaded = loadExamples(demo.id());
      var token = tokens.mint(demo.id(), "demo", null);
      String port = env.getProperty("local.server.port", env.getProperty("server.port", "8000"));
      System.out.println("""

          ==================================================================================
           Durable Flows is up: org 'demo' with %d example flows.
           Its API token, shown once (mint more with the admin API):

             export DF_TOKEN=%s

           Try it:
             curl -s http://localhost:%s/api/llm/demo/flows/qa-openai/run \\
               -H "Authorization: Bearer $DF_TOKEN" -H "Content-Type: application/json" \\
               -d '{"input": {"question": "What is Durable Flows?"}}'
          ==================================================================================
          """.formatted(loaded, token.token(), port));
    }
    if (adminTokenGenerated) {
      System.out.println("""
           Admin token for this process (set DF_ADMIN_TOKEN to choose your own):

             export DF_ADMIN_TOKEN=%s
          """.formatted(adminToken));
    }
  }

  private int loadExamples(String orgId) {
    int loaded = 0;
    try {
      var resolver = new PathMatchingResourcePatternResolver();
      Resource[] files = resolver.getResources("classpath*:examples/flows/*.json");
      for (Resource file : files) {
        flows.create(orgId, json.readMap(file.getContentAsString(StandardCharsets.UTF_8)));
        loaded++;
      }
      // examples/evaluators/<flow slug>/<name>.json: evaluators attached to that example flow
      for (Resource file : resolver.getResources("classpath*:examples/evaluators/*/*.json")) {
        String[] path = file.getURL().getPath().split("/");
        String flowSlug = path[path.length - 2];
        evaluators.attach(orgId, flowSlug, json.readMap(file.getContentAsString(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      log.warn("could not load the example flows: {}", e.getMessage());
    }
    return loaded;
  }
}
