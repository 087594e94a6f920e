package io.durableflows.activities.secrets;

import java.util.Optional;

/** Where tool activities find secrets; {@link JdbcSecrets} in the workers, a map in tests. */
public interface SecretSource {
  /** The org a run belongs to (secrets are per org). */
  Optional<String> orgOfRun(String runId);

  /**
   * The secret's value, decrypted.
   *
   * @throws SecretsCipher.UnreadableSecretException when it cannot be decrypted with this process's key
   */
  Optional<String> value(String orgId, String name);
}
