package io.durableflows.api.secrets;

import io.durableflows.activities.secrets.SecretsCipher;
import io.durableflows.api.errors.ApiException;
import io.durableflows.workflows.flow.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An org's tool secrets: written encrypted ({@link SecretsCipher}, key {@code DF_SECRETS_KEY}), listed by name,
 * never read back: only the workers decrypt them, inside the tool call that uses them.
 */
@Service
class SecretsService {
  private final JdbcClient jdbc;
  private final SecretsCipher cipher;

  SecretsService(JdbcClient jdbc, @Value("${df.secrets.key:}") String key) {
    this.jdbc = jdbc;
    this.cipher = SecretsCipher.fromConfiguration(key);
  }

  /** A secret as the API shows it: never its value. */
  record SecretInfo(String name, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

  record Saved(SecretInfo secret, boolean created) {}

  List<SecretInfo> list(String orgId) {
    return jdbc.sql("select name, created_at, updated_at from secrets where org_id = :org order by name")
        .param("org", orgId).query((rs, n) -> new SecretInfo(rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
        .list();
  }

  Saved put(String orgId, String name, Object value) {
    checkName(name);
    if (!(value instanceof String v) || v.isEmpty()) {
      throw ApiException.invalid("invalid_request", "invalid secret",
          List.of(FieldError.of("value", "required, a non-empty string")));
    }
    if (v.getBytes(StandardCharsets.UTF_8).length > SecretsCipher.MAX_VALUE_BYTES) {
      throw ApiException.invalid("invalid_request", "invalid secret",
          List.of(FieldError.of("value", "at most " + SecretsCipher.MAX_VALUE_BYTES + " bytes")));
    }
    // xmax = 0 only for a row this statement inserted (an update leaves the old version's xmax)
    return jdbc.sql("""
            insert into secrets (org_id, name, ciphertext) values (:org, :name, :ciphertext)
            on conflict (org_id, name) do update set ciphertext = excluded.ciphertext, updated_at = now()
            returning name, created_at, updated_at, (xmax = 0) as created""")
        .param("org", orgId).param("name", name).param("ciphertext", cipher.encrypt(orgId, name, v))
        .query((rs, n) -> new Saved(new SecretInfo(rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)),
            rs.getBoolean("created")))
        .single();
  }

  void delete(String orgId, String name) {
    checkName(name);
    int deleted = jdbc.sql("delete from secrets where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).update();
    if (deleted == 0) throw ApiException.notFound("secret '" + name + "'");
  }

  private static void checkName(String name) {
    if (name == null || !SecretsCipher.NAME.matcher(name).matches()) {
      throw ApiException.invalid("invalid_request", "invalid secret name", List.of(FieldError.of("name",
          "letters, digits and '_', not starting with a digit, at most 100 characters (used as {{secrets.NAME}})")));
    }
  }
}
