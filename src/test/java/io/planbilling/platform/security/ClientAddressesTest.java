package io.planbilling.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who the client is: the peer, or — only behind a trusted proxy — what X-Forwarded-For
 * says.
 */
class ClientAddressesTest {

    private final ClientAddresses noProxies = new ClientAddresses(List.of());

    private final ClientAddresses behindProxies = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverItForwards() {
        assertThat(noProxies.resolve("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
        assertThat(noProxies.resolve("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeerCannotSpeakForAnotherClient() {
        assertThat(behindProxies.resolve("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
    }

    @Test
    void aTrustedProxyNamesTheClientItForwarded() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(behindProxies.resolve("192.0.2.10", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void theHopsAreReadFromTheRightPastEveryTrustedProxy() {
        // the client claimed 1.1.1.1 itself; 198.51.100.1 is what the first trusted proxy
        // saw
        assertThat(behindProxies.resolve("10.1.2.3", List.of("1.1.1.1", "198.51.100.1", "10.9.9.9")))
            .isEqualTo("198.51.100.1");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftmostIsTheClient() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("10.4.4.4", "10.9.9.9"))).isEqualTo("10.4.4.4");
    }

    @Test
    void aTrustedProxyWithoutAForwardedHeaderIsItselfTheClient() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void aHopThatIsNoAddressEndsTheWalkAtTheLastTrustedHop() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("evil.example", "10.9.9.9"))).isEqualTo("10.9.9.9");
        assertThat(behindProxies.resolve("10.1.2.3", List.of("unknown"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", List.of("999.1.1.1"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", List.of(""))).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64AndIpv6ProxiesAreTrustedByBlock() {
        assertThat(noProxies.resolve("2001:db8:1:2:aaaa:bbbb:cccc:dddd", List.of()))
            .isEqualTo(noProxies.resolve("2001:db8:1:2::1", List.of()))
            .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(behindProxies.resolve("fd12::7", List.of("[2001:db8::9]"))).isEqualTo("2001:db8:0:0:0:0:0:0/64");
    }

    @Test
    void onlyAddressLiteralsAreParsedNeverNames() {
        assertThat(ClientAddresses.literal("198.51.100.7")).isNotNull();
        assertThat(ClientAddresses.literal("::1")).isNotNull();
        assertThat(ClientAddresses.literal("localhost")).isNull();
        assertThat(ClientAddresses.literal("cafe")).isNull();
        assertThat(ClientAddresses.literal("01.2.3.4")).isNull();
        assertThat(ClientAddresses.literal("1.2.3")).isNull();
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefusedAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddresses(List.of("proxy.internal")))
            .withMessageContaining("billing.security.trusted-proxies");
    }

}
