package io.durableflows.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCipherTest {
  private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_B = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void encryptThenDecrypt_givesTheValueBack_andTheStoredFormHidesIt() {
    SecretsCipher cipher = SecretsCipher.fromConfiguration(KEY_A, null);

    byte[] stored = cipher.encrypt("org_1", "WEATHER_KEY", "sk-very-secret-ü");

    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
    assertThat(cipher.decrypt("org_1", "WEATHER_KEY", stored)).isEqualTo("sk-very-secret-ü");
    // a fresh nonce each time
    assertThat(cipher.encrypt("org_1", "WEATHER_KEY", "sk-very-secret-ü")).isNotEqualTo(stored);
  }

  @Test
  void decrypt_withAnotherKey_failsWithoutTheValue() {
    byte[] stored = SecretsCipher.fromConfiguration(KEY_A, null).encrypt("org_1", "K", "hunter22");

    assertThatThrownBy(() -> SecretsCipher.fromConfiguration(KEY_B, null).decrypt("org_1", "K", stored))
        .isInstanceOf(SecretsCipher.UnreadableSecretException.class)
        .hasMessageContaining("'K'").hasMessageContaining("DF_SECRETS_KEY").hasMessageNotContaining("hunter22");
  }

  @Test
  void decrypt_underAnotherOrgOrName_fails() {
    SecretsCipher cipher = SecretsCipher.fromConfiguration(KEY_A, null);
    byte[] stored = cipher.encrypt("org_1", "K", "hunter22");

    assertThatThrownBy(() -> cipher.decrypt("org_2", "K", stored))
        .isInstanceOf(SecretsCipher.UnreadableSecretException.class);
    assertThatThrownBy(() -> cipher.decrypt("org_1", "OTHER", stored))
        .isInstanceOf(SecretsCipher.UnreadableSecretException.class);
  }

  @Test
  void key_thatIsNot32BytesOfBase64_isRefused() {
    assertThatThrownBy(() -> SecretsCipher.fromConfiguration("not base64!", null))
        .hasMessageContaining("DF_SECRETS_KEY");
    assertThatThrownBy(() -> SecretsCipher.fromConfiguration(Base64.getEncoder().encodeToString(new byte[16]), null))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void withoutAKey_aLocalKeyFileIsCreatedOnceOwnerOnly_andReused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested").resolve("secrets.key");

    byte[] stored = SecretsCipher.fromConfiguration("", file).encrypt("org_1", "K", "v1");

    assertThat(Files.readString(file).strip()).hasSize(44);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(SecretsCipher.fromConfiguration(null, file).decrypt("org_1", "K", stored)).isEqualTo("v1");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }
  }
}
