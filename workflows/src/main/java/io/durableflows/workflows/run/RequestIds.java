package io.durableflows.workflows.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hex part of request ids: a digest of run, node and count, so the same run always names them alike. */
final class RequestIds {
  private RequestIds() {}

  static String of(String runId, String nodeId, int n) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((runId + "/" + nodeId + "/" + n).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
