package io.durableflows.activities.tools.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressGuardTest {
  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void forbidden_classifiesSpecialAddresses() throws Exception {
    assertThat(AddressGuard.forbidden(ip("127.0.0.1"))).contains("loopback");
    assertThat(AddressGuard.forbidden(ip("::1"))).contains("loopback");
    assertThat(AddressGuard.forbidden(ip("10.20.30.40"))).contains("private");
    assertThat(AddressGuard.forbidden(ip("172.31.255.255"))).contains("private");
    assertThat(AddressGuard.forbidden(ip("192.168.0.1"))).contains("private");
    assertThat(AddressGuard.forbidden(ip("fd12:3456::1"))).contains("private");
    assertThat(AddressGuard.forbidden(ip("169.254.169.254"))).contains("cloud metadata");
    assertThat(AddressGuard.forbidden(ip("fd00:ec2::254"))).contains("cloud metadata");
    assertThat(AddressGuard.forbidden(ip("fe80::abcd"))).contains("link-local");
    assertThat(AddressGuard.forbidden(ip("0.0.0.0"))).contains("unspecified");
    assertThat(AddressGuard.forbidden(ip("::"))).contains("unspecified");
    assertThat(AddressGuard.forbidden(ip("224.0.0.1"))).contains("multicast");
    assertThat(AddressGuard.forbidden(ip("ff02::1"))).contains("multicast");
  }

  @Test
  void forbidden_seesIpv4InsideIpv6() throws Exception {
    // Inet6Address.getByAddress keeps the IPv6 form (getByName would turn ::ffff:x into an IPv4 address)
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    assertThat(AddressGuard.forbidden(java.net.Inet6Address.getByAddress(null, mapped, -1)).orElseThrow())
        .startsWith("loopback");
    assertThat(AddressGuard.forbidden(ip("::ffff:169.254.169.254"))).contains("cloud metadata");
    assertThat(AddressGuard.forbidden(ip("64:ff9b::10.0.0.1")).orElseThrow()).startsWith("private");
    assertThat(AddressGuard.forbidden(ip("2002:7f00:1::")).orElseThrow()).startsWith("loopback");
  }

  @Test
  void forbidden_letsPublicAddressesThrough() throws Exception {
    assertThat(AddressGuard.forbidden(ip("93.184.215.14"))).isEmpty();
    assertThat(AddressGuard.forbidden(ip("8.8.8.8"))).isEmpty();
    assertThat(AddressGuard.forbidden(ip("2606:4700::1111"))).isEmpty();
    assertThat(AddressGuard.forbidden(ip("172.32.0.1"))).isEmpty();
  }

  @Test
  void hostRules_matchNamesWildcardsAndCidrs() throws Exception {
    HostRules rules = HostRules.parse(List.of("api.internal", "*.corp.example", "10.1.0.0/16", "fd12::/16"));

    assertThat(rules.permitsName("API.internal.")).isTrue();
    assertThat(rules.permitsName("svc.corp.example")).isTrue();
    assertThat(rules.permitsName("corp.example")).isFalse();
    assertThat(rules.permitsName("evilcorp.example")).isFalse();
    assertThat(rules.permitsAddress(ip("10.1.200.3"))).isTrue();
    assertThat(rules.permitsAddress(ip("10.2.0.1"))).isFalse();
    assertThat(rules.permitsAddress(ip("fd12:1::5"))).isTrue();
  }

  @Test
  void metadata_isNotUnlockedByAToolsAllowlist() throws Exception {
    AddressGuard guard = new AddressGuard(host -> new InetAddress[] {ip("169.254.169.254")});
    var uri = java.net.URI.create("http://innocent.example/");

    var blocked = org.assertj.core.api.Assertions.catchThrowableOfType(AddressGuard.Blocked.class,
        () -> guard.check(uri, HostRules.NONE, HostRules.parse(List.of("innocent.example", "169.254.0.0/16"))));
    assertThat(blocked.getMessage()).contains("cloud metadata");
    assertThat(guard.check(uri, HostRules.parse("169.254.169.254"), HostRules.NONE)).hasSize(1);
  }
}
