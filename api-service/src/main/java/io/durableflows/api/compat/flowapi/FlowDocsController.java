package io.durableflows.api.compat.flowapi;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.support.Json;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Reference 000's per-flow dynamic docs, as JSON: what a client needs to call this flow (see {@link FlowDocs}). */
@RestController
class FlowDocsController {
  private final FlowService flows;
  private final Json json;

  FlowDocsController(FlowService flows, Json json) {
    this.flows = flows;
    this.json = json;
  }

  @GetMapping("/api/llm/{orgCode}/flows/{slug}/docs")
  Map<String, Object> docs(Caller caller, @PathVariable String orgCode, @PathVariable String slug) {
    caller.requireOrg(orgCode);
    caller.require("flows:read");
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    return FlowDocs.build(json, base, orgCode, flows.resolve(caller.orgId(), slug, null));
  }
}
