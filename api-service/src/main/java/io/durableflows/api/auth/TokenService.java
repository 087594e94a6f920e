package io.durableflows.api.auth;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Organization API tokens: only a SHA-256 hash is stored; the raw token is returned once, at minting. */
@Service
public class TokenService {
  private static final String PREFIX = "df_";
  private final JdbcClient jdbc;

  public TokenService(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public record MintedToken(String id, String token, String name, List<String> scopes, OffsetDateTime createdAt) {}

  public record TokenInfo(String id, String name, String prefix, List<String> scopes, OffsetDateTime createdAt,
      OffsetDateTime revokedAt) {}

  public MintedToken mint(String orgId, String name, List<String> scopes) {
    List<String> granted = scopes == null || scopes.isEmpty() ? Caller.ALL_SCOPES : scopes;
    for (String s : granted) {
      if (s == null || !Caller.ALL_SCOPES.contains(s)) {
        throw ApiException.badRequest("invalid_scope", "unknown scope '" + s + "'; scopes are " + Caller.ALL_SCOPES);
      }
    }
    return insert(orgId, name, granted, PREFIX + Ids.random(40));
  }

  /**
   * An integrator key ({@code af_live_…}, reference 003) for the caller's org, with the caller's scopes: a token
   * like any other, shaped the way integrators of that API expect.
   */
  public MintedToken mintApiKey(Caller caller, String name) {
    String raw = "af_live_" + Ids.random(40);
    return insert(caller.orgId(), name, caller.scopes(), raw, raw.substring(0, 12));
  }

  /**
   * Registers a token whose raw value comes from configuration (bootstrap) unless its hash is already known —
   * revoked tokens included, so that revoking it sticks across restarts.
   */
  public boolean registerIfAbsent(String orgId, String name, String rawToken) {
    boolean known = jdbc.sql("select count(*) from api_tokens where token_hash = :hash")
        .param("hash", hash(rawToken)).query(Long.class).single() > 0;
    if (known) return false;
    insert(orgId, name, Caller.ALL_SCOPES, rawToken, "(configured)");
    return true;
  }

  private MintedToken insert(String orgId, String name, List<String> scopes, String raw) {
    return insert(orgId, name, scopes, raw, raw.substring(0, PREFIX.length() + 4));
  }

  private MintedToken insert(String orgId, String name, List<String> scopes, String raw, String prefix) {
    String id = Ids.newId("tok");
    OffsetDateTime created = jdbc.sql("""
            insert into api_tokens (id, org_id, name, token_hash, token_prefix, scopes)
            values (:id, :org, :name, :hash, :prefix, :scopes) returning created_at""")
        .param("id", id).param("org", orgId).param("name", name).param("hash", hash(raw))
        .param("prefix", prefix)
        .param("scopes", scopes.toArray(String[]::new))
        .query(OffsetDateTime.class).single();
    return new MintedToken(id, raw, name, scopes, created);
  }

  public Optional<Caller> findByRaw(String raw) {
    return jdbc.sql("""
            select t.id, t.org_id, o.org_code, t.scopes from api_tokens t join organizations o on o.id = t.org_id
            where t.token_hash = :hash and t.revoked_at is null""")
        .param("hash", hash(raw))
        .query((rs, n) -> new Caller(rs.getString("org_id"), rs.getString("org_code"), rs.getString("id"),
            strings(rs.getArray("scopes"))))
        .optional();
  }

  public List<TokenInfo> list(String orgId) {
    return jdbc.sql("""
            select id, name, token_prefix, scopes, created_at, revoked_at from api_tokens
            where org_id = :org order by created_at, id""")
        .param("org", orgId)
        .query((rs, n) -> new TokenInfo(rs.getString("id"), rs.getString("name"), rs.getString("token_prefix"),
            strings(rs.getArray("scopes")), rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("revoked_at", OffsetDateTime.class)))
        .list();
  }

  /** The name a token was minted with: who answered an approval, when the person does not say. */
  public Optional<String> name(String orgId, String tokenId) {
    return jdbc.sql("select name from api_tokens where id = :id and org_id = :org")
        .param("id", tokenId).param("org", orgId).query(String.class).optional();
  }

  public void revoke(String orgId, String tokenId) {
    int updated = jdbc.sql("update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = :id and org_id = :org")
        .param("id", tokenId).param("org", orgId).update();
    if (updated == 0) throw ApiException.notFound("token '" + tokenId + "'");
  }

  /** Resolves an {@code Authorization} header value: {@code Bearer <token>} or the bare token. */
  public Caller authenticate(String header) {
    if (header == null || header.isBlank()) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "missing API token: send Authorization: Bearer <token>");
    }
    String raw = header.strip();
    if (raw.regionMatches(true, 0, "Bearer ", 0, 7)) raw = raw.substring(7).strip();
    if (raw.isEmpty() || raw.contains(" ")) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "malformed Authorization header");
    }
    return findByRaw(raw).orElseThrow(() ->
        new ApiException(HttpStatus.UNAUTHORIZED, "invalid_token", "the API token is unknown or revoked"));
  }

  static String hash(String raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }
}
