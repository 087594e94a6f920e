package io.durableflows.api.orgs;

import io.durableflows.api.auth.TokenService;
import io.durableflows.api.credits.CreditService;
import io.durableflows.api.errors.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Platform administration with the admin token from {@code DF_ADMIN_TOKEN}: orgs and their API tokens. */
@RestController
@RequestMapping("/admin/v1")
class AdminController {
  private final OrgService orgs;
  private final TokenService tokens;
  private final CreditService credits;
  private final String adminToken;

  AdminController(OrgService orgs, TokenService tokens, CreditService credits,
      @Value("${df.admin-token:}") String adminToken) {
    this.orgs = orgs;
    this.tokens = tokens;
    this.credits = credits;
    this.adminToken = adminToken;
  }

  record TopUp(BigDecimal amount, String note) {}

  /** Adds FLOW credits to an org's balance (one ledger row). */
  @PostMapping("/orgs/{orgCode}/credits")
  Map<String, Object> topUp(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @PathVariable String orgCode, @RequestBody TopUp body) {
    checkAdmin(auth);
    Organization org = orgs.find(orgCode).orElseThrow(() -> ApiException.notFound("organization '" + orgCode + "'"));
    BigDecimal balance = credits.topUp(org.id(), body.amount(), body.note());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("org_code", org.orgCode());
    out.put("balance", CreditService.format(balance));
    return out;
  }

  record CreateOrg(String org_code, String name) {}

  record CreateToken(String name, List<String> scopes) {}

  @PostMapping("/orgs")
  ResponseEntity<Map<String, Object>> createOrg(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @RequestBody CreateOrg body) {
    checkAdmin(auth);
    return ResponseEntity.status(HttpStatus.CREATED).body(view(orgs.create(body.org_code(), body.name())));
  }

  @GetMapping("/orgs")
  Map<String, Object> listOrgs(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth) {
    checkAdmin(auth);
    return Map.of("data", orgs.list().stream().map(AdminController::view).toList());
  }

  @PostMapping("/orgs/{orgCode}/tokens")
  ResponseEntity<Map<String, Object>> mint(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @PathVariable String orgCode, @RequestBody(required = false) CreateToken body) {
    checkAdmin(auth);
    Organization org = orgs.find(orgCode).orElseThrow(() -> ApiException.notFound("organization '" + orgCode + "'"));
    String name = body == null || body.name() == null || body.name().isBlank() ? "token" : body.name();
    var minted = tokens.mint(org.id(), name, body == null ? null : body.scopes());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", minted.id());
    out.put("token", minted.token());
    out.put("name", minted.name());
    out.put("scopes", minted.scopes());
    out.put("org_code", org.orgCode());
    out.put("created_at", minted.createdAt());
    out.put("note", "store this token now: it is not shown again");
    return ResponseEntity.status(HttpStatus.CREATED).body(out);
  }

  @GetMapping("/orgs/{orgCode}/tokens")
  Map<String, Object> listTokens(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @PathVariable String orgCode) {
    checkAdmin(auth);
    Organization org = orgs.find(orgCode).orElseThrow(() -> ApiException.notFound("organization '" + orgCode + "'"));
    return Map.of("data", tokens.list(org.id()));
  }

  @DeleteMapping("/orgs/{orgCode}/tokens/{tokenId}")
  ResponseEntity<Void> revoke(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @PathVariable String orgCode, @PathVariable String tokenId) {
    checkAdmin(auth);
    Organization org = orgs.find(orgCode).orElseThrow(() -> ApiException.notFound("organization '" + orgCode + "'"));
    tokens.revoke(org.id(), tokenId);
    return ResponseEntity.noContent().build();
  }

  private void checkAdmin(String header) {
    if (adminToken == null || adminToken.isBlank()) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "admin_disabled", "the admin API is off: set DF_ADMIN_TOKEN");
    }
    String given = header == null ? "" : header.strip().replaceFirst("(?i)^Bearer\\s+", "");
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "a valid admin token is required");
    }
  }

  private static Map<String, Object> view(Organization org) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", org.id());
    out.put("org_code", org.orgCode());
    out.put("name", org.name());
    out.put("created_at", org.createdAt());
    return out;
  }
}
