package io.durableflows.activities.tools.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard of HTTP tools. A request may go only to http(s) URLs whose host resolves to public addresses:
 * loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16, fe80::/10),
 * cloud metadata (169.254.169.254, fd00:ec2::254, 100.100.100.200, metadata.google.internal), unspecified, this
 * network (0/8), multicast, broadcast and reserved addresses are refused, including IPv4 embedded in IPv6
 * (mapped {@code ::ffff:a.b.c.d}, compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}). Every address
 * the name resolves to is checked (one bad address refuses the request), on the first request and on every
 * redirect hop.
 *
 * <p>An allowlist ({@link HostRules}) lets named hosts or address blocks through; cloud metadata addresses pass
 * only when the worker-wide list names their address or block, never through a tool's own list nor a host name.
 */
public final class AddressGuard {
  /** Names that mean the metadata service whatever they resolve to (and may not resolve off-cloud). */
  private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata",
      "instance-data", "instance-data.ec2.internal");
  private final Resolver resolver;

  /** DNS as the guard asks it; tests substitute their own. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public AddressGuard(Resolver resolver) {
    this.resolver = resolver;
  }

  public AddressGuard() {
    this(InetAddress::getAllByName);
  }

  /** Why a request was refused; the message names the host and the kind of address, never a secret. */
  public static final class Blocked extends Exception {
    Blocked(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks the URL's scheme and every address its host resolves to, and returns those addresses.
   *
   * @param workerRules the operator's allowlist ({@code DF_TOOLS_ALLOW_HOSTS})
   * @param toolRules the tool's own {@code allowHosts}
   * @throws Blocked when the request must not be made
   * @throws UnknownHostException when the name does not resolve
   */
  public List<InetAddress> check(URI uri, HostRules workerRules, HostRules toolRules)
      throws Blocked, UnknownHostException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Blocked("only http and https URLs may be called, not '" + scheme + "'");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) throw new Blocked("the URL has no host");
    if (uri.getRawUserInfo() != null) throw new Blocked("URLs with user info (user@host) are refused");
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    String name = bare.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    boolean namePermitted = workerRules.permitsName(name) || toolRules.permitsName(name);
    if (METADATA_NAMES.contains(name) && !workerRules.permitsName(name)) {
      throw new Blocked("refused " + host + ": it names a cloud metadata service");
    }
    byte[] literal = HostRules.literal(bare);
    InetAddress[] addresses = literal != null ? new InetAddress[] {InetAddress.getByAddress(bare, literal)}
        : resolver.resolve(bare);
    for (InetAddress address : addresses) {
      Optional<String> kind = forbidden(address);
      if (kind.isEmpty()) continue;
      if (kind.get().equals(METADATA)) {
        if (workerRules.permitsAddress(address)) continue;
      } else if (namePermitted || workerRules.permitsAddress(address) || toolRules.permitsAddress(address)) {
        continue;
      }
      throw new Blocked("refused " + host + (literal != null ? "" : " (resolves to " + address.getHostAddress() + ")")
          + ": " + kind.get() + " addresses are not allowed; " + (kind.get().equals(METADATA)
              ? "only the workers' DF_TOOLS_ALLOW_HOSTS naming this address permits them"
              : "add the host to the tool's allowHosts or to DF_TOOLS_ALLOW_HOSTS to permit it"));
    }
    return List.of(addresses);
  }

  static final String METADATA = "cloud metadata";

  /** What kind of forbidden address this is, or empty for a public one. */
  static Optional<String> forbidden(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] a = v6.getAddress();
      Optional<byte[]> embedded = embeddedIpv4(a);
      if (embedded.isPresent()) {
        try {
          return forbidden(InetAddress.getByAddress(embedded.get())).map(k -> k + " (IPv4 inside IPv6)");
        } catch (UnknownHostException e) {
          return Optional.of("malformed");
        }
      }
      if (isMetadataV6(a)) return Optional.of(METADATA);
      if (v6.isAnyLocalAddress()) return Optional.of("unspecified");
      if (v6.isLoopbackAddress()) return Optional.of("loopback");
      if (v6.isLinkLocalAddress()) return Optional.of("link-local");
      if (v6.isSiteLocalAddress()) return Optional.of("site-local");
      if (v6.isMulticastAddress()) return Optional.of("multicast");
      if ((a[0] & 0xfe) == 0xfc) return Optional.of("private");
      // 2001:db8::/32 documentation, 100::/64 discard
      if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
        return Optional.of("reserved");
      }
      return Optional.empty();
    }
    byte[] a = address.getAddress();
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    int b3 = a[3] & 0xff;
    if (b0 == 169 && b1 == 254 && b2 == 169 && b3 == 254) return Optional.of(METADATA);
    if (b0 == 100 && b1 == 100 && b2 == 100 && b3 == 200) return Optional.of(METADATA);
    if (b0 == 0) return Optional.of(b1 == 0 && b2 == 0 && b3 == 0 ? "unspecified" : "this-network");
    if (b0 == 127) return Optional.of("loopback");
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) return Optional.of("private");
    if (b0 == 100 && (b1 & 0xc0) == 64) return Optional.of("private");
    if (b0 == 169 && b1 == 254) return Optional.of("link-local");
    if (b0 >= 224 && b0 <= 239) return Optional.of("multicast");
    if (b0 >= 240) return Optional.of(b0 == 255 && b1 == 255 && b2 == 255 && b3 == 255 ? "broadcast" : "reserved");
    if (b0 == 192 && b1 == 0 && b2 == 0) return Optional.of("reserved");
    if (b0 == 198 && (b1 & 0xfe) == 18) return Optional.of("reserved");
    return Optional.empty();
  }

  private static boolean isMetadataV6(byte[] a) {
    // fd00:ec2::254
    byte[] aws = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    return java.util.Arrays.equals(a, aws);
  }

  /** The IPv4 address carried in a mapped, compatible, NAT64 or 6to4 IPv6 address. */
  private static Optional<byte[]> embeddedIpv4(byte[] a) {
    boolean zero10 = true;
    for (int i = 0; i < 10; i++) zero10 &= a[i] == 0;
    if (zero10 && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) return Optional.of(slice(a, 12));
    if (zero10 && a[10] == 0 && a[11] == 0) {
      // ::a.b.c.d (compatible); :: and ::1 are handled as IPv6 unspecified / loopback
      boolean small = a[12] == 0 && a[13] == 0 && a[14] == 0 && (a[15] & 0xff) <= 1;
      return small ? Optional.empty() : Optional.of(slice(a, 12));
    }
    boolean nat64 = (a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b;
    if (nat64) {
      boolean zeros = true;
      for (int i = 4; i < 12; i++) zeros &= a[i] == 0;
      if (zeros) return Optional.of(slice(a, 12));
    }
    if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) return Optional.of(slice(a, 2));
    return Optional.empty();
  }

  private static byte[] slice(byte[] a, int from) {
    return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
  }
}
