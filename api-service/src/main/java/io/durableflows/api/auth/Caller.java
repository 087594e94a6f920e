package io.durableflows.api.auth;

import io.durableflows.api.errors.ApiException;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The organization a request acts for, resolved from its API token. Declare it as a controller parameter. */
public record Caller(String orgId, String orgCode, String tokenId, List<String> scopes) {
  public static final List<String> ALL_SCOPES = List.of("flows:read", "flows:write", "runs:read", "runs:write");

  public void require(String scope) {
    if (!scopes.contains(scope)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "insufficient_scope", "this token lacks the '" + scope + "' scope");
    }
  }

  /** Paths that name an org (reference 000's org_code, 001's account_id) must name the caller's own. */
  public void requireOrg(String orgCode) {
    if (!this.orgCode.equals(orgCode)) {
      throw ApiException.notFound("organization '" + orgCode + "'");
    }
  }
}
