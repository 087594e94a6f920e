package io.durableflows.activities.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tool secrets at rest: AES-256-GCM, a fresh 96-bit nonce per value, and the secret's org and name as associated
 * data so a ciphertext copied to another row does not decrypt. Stored form: version byte, nonce, ciphertext+tag.
 *
 * <p>The key is {@code DF_SECRETS_KEY} (base64 of 32 bytes). Without it (the embedded local default) a random key
 * is created once in a local key file ({@code ~/.durableflows/secrets.key}, owner-only) and reused by every process
 * of this user on this machine; production sets {@code DF_SECRETS_KEY}, the same on the API and the workers.
 */
public final class SecretsCipher {
  private static final Logger log = LoggerFactory.getLogger(SecretsCipher.class);
  /** A secret's name as {@code {{secrets.NAME}}} writes it. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,99}$");
  /** The largest value stored, in UTF-8 bytes. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKey key;

  public SecretsCipher(byte[] key) {
    if (key.length != 32) throw new IllegalArgumentException("a secrets key is 32 bytes (AES-256), got " + key.length);
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** A secret could not be decrypted: another key, or a damaged row. The message never holds the value. */
  public static final class UnreadableSecretException extends RuntimeException {
    UnreadableSecretException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The key from configuration: {@code base64Key} when set, else the local key file (created when missing).
   *
   * @throws IllegalArgumentException when {@code base64Key} is set but is not base64 of 32 bytes
   */
  public static SecretsCipher fromConfiguration(String base64Key, Path localKeyFile) {
    if (base64Key != null && !base64Key.isBlank()) return new SecretsCipher(decodeKey(base64Key, "DF_SECRETS_KEY"));
    return new SecretsCipher(localKey(localKeyFile));
  }

  public static SecretsCipher fromConfiguration(String base64Key) {
    return fromConfiguration(base64Key, defaultKeyFile());
  }

  public static Path defaultKeyFile() {
    return Path.of(System.getProperty("user.home"), ".durableflows", "secrets.key");
  }

  private static byte[] decodeKey(String base64, String where) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not base64 (make one with: openssl rand -base64 32)");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(where + " must be 32 bytes in base64 (openssl rand -base64 32), got "
          + raw.length + " bytes");
    }
    return raw;
  }

  /**
   * Reads the local key, or creates it: written whole to a temporary file and then hard-linked into place, so
   * processes starting together agree on one key and none reads a half-written file.
   */
  static byte[] localKey(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Path temp = Files.createTempFile(file.getParent(), "secrets", ".tmp");
        try {
          try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
          }
          Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n");
          Files.createLink(file, temp);
          log.warn("DF_SECRETS_KEY is not set: created a local secrets key in {}. Fine on one machine; production "
              + "must set DF_SECRETS_KEY (the same on the API and the workers).", file);
        } catch (FileAlreadyExistsException e) {
          // another process created it first: use theirs
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      return decodeKey(Files.readString(file), "the local secrets key " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the local secrets key " + file
          + "; set DF_SECRETS_KEY instead", e);
    }
  }

  public byte[] encrypt(String orgId, String name, String value) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(orgId, name));
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** @throws UnreadableSecretException when this key did not encrypt it (or the row was damaged or moved) */
  public String decrypt(String orgId, String name, byte[] stored) {
    if (stored == null || stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != FORMAT) {
      throw new UnreadableSecretException("secret '" + name + "' is stored in a form this version cannot read");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData(orgId, name));
      byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new UnreadableSecretException("secret '" + name + "' cannot be decrypted with this process's secrets key: "
          + "was it stored with another DF_SECRETS_KEY? The API and the workers must share one key");
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecretException("secret '" + name + "' cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] associatedData(String orgId, String name) {
    return ("df-secret\0" + orgId + "\0" + name).getBytes(StandardCharsets.UTF_8);
  }
}
