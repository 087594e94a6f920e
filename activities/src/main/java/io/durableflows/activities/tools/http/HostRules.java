package io.durableflows.activities.tools.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An allowlist: host names ({@code api.internal}, {@code *.corp.example} for its subdomains), IP addresses and CIDR
 * blocks ({@code 10.1.0.0/16}, {@code fd12::/16}). A name permits every address it resolves to; an IP or CIDR
 * permits those addresses whatever name led to them.
 */
public record HostRules(List<String> names, List<Cidr> blocks) {
  public static final HostRules NONE = new HostRules(List.of(), List.of());

  /** An address block; a single address is a block of full length. */
  public record Cidr(byte[] network, int bits) {
    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) return false;
      int full = bits / 8;
      for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
      int rest = bits % 8;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
      } catch (UnknownHostException e) {
        return Arrays.toString(network) + "/" + bits;
      }
    }
  }

  /** Parses rules written as in {@code allowHosts} or {@code DF_TOOLS_ALLOW_HOSTS} (comma or space separated). */
  public static HostRules parse(List<String> rules) {
    List<String> names = new ArrayList<>();
    List<Cidr> blocks = new ArrayList<>();
    for (String raw : rules) {
      if (raw == null || raw.isBlank()) continue;
      String rule = raw.strip().toLowerCase(Locale.ROOT);
      int slash = rule.indexOf('/');
      String host = slash >= 0 ? rule.substring(0, slash) : rule;
      byte[] ip = literal(host);
      if (ip == null) {
        if (slash >= 0) throw new IllegalArgumentException("'" + raw + "' is not a CIDR block");
        names.add(stripDot(rule));
        continue;
      }
      int bits = slash >= 0 ? Integer.parseInt(rule.substring(slash + 1)) : ip.length * 8;
      if (bits < 0 || bits > ip.length * 8) throw new IllegalArgumentException("'" + raw + "' has a bad prefix length");
      blocks.add(new Cidr(ip, bits));
    }
    return new HostRules(List.copyOf(names), List.copyOf(blocks));
  }

  public static HostRules parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) return NONE;
    return parse(Arrays.asList(commaSeparated.split("[,\\s]+")));
  }

  public HostRules and(HostRules other) {
    List<String> n = new ArrayList<>(names);
    n.addAll(other.names);
    List<Cidr> b = new ArrayList<>(blocks);
    b.addAll(other.blocks);
    return new HostRules(List.copyOf(n), List.copyOf(b));
  }

  public boolean permitsName(String host) {
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    for (String rule : names) {
      if (rule.startsWith("*.") ? h.endsWith(rule.substring(1)) : h.equals(rule)) return true;
    }
    return false;
  }

  public boolean permitsAddress(InetAddress address) {
    return blocks.stream().anyMatch(b -> b.contains(address));
  }

  /** The bytes of an IP literal (brackets allowed for IPv6), or null when it is a name. Never asks DNS. */
  static byte[] literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = h.contains(":") && h.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
    if (!v4 && !v6) return null;
    try {
      // A literal is parsed without a lookup.
      return InetAddress.getByName(h).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
