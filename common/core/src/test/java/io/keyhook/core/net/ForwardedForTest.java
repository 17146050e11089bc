package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Forwarding headers move the source address only when trusted proxies wrote them (issues 14 and 28, point 1). */
class ForwardedForTest {

    private final ForwardedFor ingress = ForwardedFor.parse("10.0.0.0/8, 127.0.0.1", "x-forwarded-for");
    private final ForwardedFor rfc7239 = ForwardedFor.parse("10.0.0.0/8, 127.0.0.1", "forwarded");

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ForwardedFor none = ForwardedFor.parse("", "x-forwarded-for");
        assertEquals("10.1.2.3", none.client("10.1.2.3", List.of("203.0.113.9")));
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotChooseItsAddress() {
        assertEquals("198.51.100.7", ingress.client("198.51.100.7", List.of("203.0.113.9")));
        assertEquals("198.51.100.7", rfc7239.client("198.51.100.7", List.of("for=203.0.113.9")));
    }

    @Test
    void theRightmostAddressThatIsNotATrustedProxyIsTheClient() {
        // the client wrote "1.2.3.4" itself; the ingress appended the address it saw
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", List.of("1.2.3.4, 198.51.100.7")));
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", List.of("1.2.3.4, 198.51.100.7, 10.0.0.9")));
        assertEquals("203.0.113.9", ingress.client("127.0.0.1", List.of("203.0.113.9")));
    }

    @Test
    void everyLineOfTheHeaderCountsSoALineTheClientWroteCannotChooseTheAddress() {
        // HAProxy's "option forwardfor" adds a line of its own after the client's: the first line is the client's
        assertEquals("198.51.100.7", ingress.client("127.0.0.1", List.of("203.0.113.9", "198.51.100.7")));
        assertEquals("198.51.100.7",
                ingress.client("127.0.0.1", List.of("203.0.113.9, 192.0.2.1", "198.51.100.7", "10.0.0.3")));
        assertEquals("2001:db8:0:0:0:0:0:8",
                rfc7239.client("127.0.0.1", List.of("for=203.0.113.9", "for=\"[2001:db8::8]:4711\";proto=https")));
    }

    @Test
    void onlyTheConfiguredHeaderIsBelievedAndTheOtherIsTheClients() {
        // the proxy writes Forwarded; an X-Forwarded-For line can only be the client's: the caller never passes it
        assertEquals("198.51.100.8", rfc7239.client("127.0.0.1", List.of("for=198.51.100.8")));
        assertEquals("X-Forwarded-For", ingress.header().headerName());
        assertEquals("Forwarded", rfc7239.header().headerName());
        // and an X-Forwarded-For-style value in a Forwarded header is not an address
        assertEquals("127.0.0.1", rfc7239.client("127.0.0.1", List.of("203.0.113.10")));
    }

    @Test
    void rfc7239ForValuesWithPortsQuotesAndObfuscation() {
        assertEquals("2001:db8:0:0:0:0:0:7",
                rfc7239.client("10.0.0.5", List.of("for=192.0.2.60;proto=http, for=\"[2001:db8::7]:4711\"")));
        assertEquals("192.0.2.60", rfc7239.client("10.0.0.5", List.of("for=192.0.2.60:8080;by=10.0.0.5")));
        assertEquals("10.0.0.5", rfc7239.client("10.0.0.5", List.of("for=unknown")));
        assertEquals("10.0.0.5", rfc7239.client("10.0.0.5", List.of("for=_hidden")));
        // an unbracketed IPv6 address is not allowed by RFC 7239
        assertEquals("10.0.0.5", rfc7239.client("10.0.0.5", List.of("for=2001:db8::7")));
    }

    @Test
    void onlyStrictLiteralsAreAddressesAndNothingIsLookedUp() {
        // inet_aton spellings, names that look like hex, and IPv6 with a zone all end the walk at the proxy
        for (String entry : List.of("cafe.bad", "cafe:bad", "127.1", "0x7f000001", "2130706433", "010.0.0.1",
                "fe80::1%eth0", "[2001:db8::1]", "localhost", "1.2.3.4:80")) {
            assertEquals("10.0.0.5", ingress.client("10.0.0.5", List.of(entry)), entry);
        }
    }

    @Test
    void aGarbledEntryStopsTheWalkAtTheProxyThatWroteIt() {
        assertEquals("10.0.0.5", ingress.client("10.0.0.5", List.of("198.51.100.7, not-an-ip")));
        assertEquals("10.0.0.5", ingress.client("10.0.0.5", List.of("x".repeat(70_000))));
    }

    @Test
    void aHugeHeaderIsReadOnlyAtItsTrustedEnd() {
        String spoofed = "1.1.1.1, ".repeat(10_000) + "198.51.100.7";
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", List.of(spoofed)));
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", List.of("1.1.1.1, ".repeat(10_000), "198.51.100.7")));
    }

    @Test
    void badSettingsAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> ForwardedFor.parse("ingress.local", "x-forwarded-for"));
        assertThrows(IllegalArgumentException.class, () -> ForwardedFor.parse("127.0.0.1", "x-real-ip"));
    }
}
