package io.durableflows.activities.secrets;

import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a tool activity reads of secrets: a run's org, and an org's secret decrypted (only in memory). */
public final class JdbcSecrets implements SecretSource {
  private final JdbcClient jdbc;
  private final SecretsCipher cipher;

  public JdbcSecrets(DataSource dataSource, SecretsCipher cipher) {
    this.jdbc = JdbcClient.create(dataSource);
    this.cipher = cipher;
  }

  @Override
  public Optional<String> orgOfRun(String runId) {
    if (runId == null) return Optional.empty();
    return jdbc.sql("select org_id from runs where id = :id").param("id", runId).query(String.class).optional();
  }

  @Override
  public Optional<String> value(String orgId, String name) {
    return jdbc.sql("select ciphertext from secrets where org_id = :org and name = :name")
        .param("org", orgId).param("name", name).query(byte[].class).optional()
        .map(stored -> cipher.decrypt(orgId, name, stored));
  }
}
