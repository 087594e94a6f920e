package io.durableflows.api.support;

import java.security.SecureRandom;

/** Prefixed random ids ({@code run_…}, {@code flw_…}): readable in logs and Temporal UI, unguessable. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private Ids() {}

  public static String newId(String prefix) {
    return prefix + "_" + random(20);
  }

  /**
   * Whether {@code value} has the shape of an id of {@code kind}. Things addressed by slug or id refuse such
   * slugs, so that an address never means two things.
   */
  public static boolean looksLikeId(String kind, String value) {
    return value != null && value.startsWith(kind + "_");
  }

  public static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    return new String(out);
  }
}
