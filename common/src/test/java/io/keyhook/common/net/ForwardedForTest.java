package io.keyhook.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Forwarding headers move the source address only when trusted proxies wrote them (issue 14, point 1). */
class ForwardedForTest {

    private final ForwardedFor ingress = ForwardedFor.parse("10.0.0.0/8, 127.0.0.1");

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ForwardedFor none = ForwardedFor.parse("");
        assertEquals("10.1.2.3", none.client("10.1.2.3", "203.0.113.9", null));
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotChooseItsAddress() {
        assertEquals("198.51.100.7", ingress.client("198.51.100.7", "203.0.113.9", null));
        assertEquals("198.51.100.7", ingress.client("198.51.100.7", null, "for=203.0.113.9"));
    }

    @Test
    void theRightmostAddressThatIsNotATrustedProxyIsTheClient() {
        // the client wrote "1.2.3.4" itself; the ingress appended the address it saw
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", "1.2.3.4, 198.51.100.7", null));
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.0.9", null));
        assertEquals("203.0.113.9", ingress.client("127.0.0.1", "203.0.113.9", null));
    }

    @Test
    void rfc7239ForwardedIsReadWhenThereIsNoXForwardedFor() {
        assertEquals("2001:db8:0:0:0:0:0:7",
                ingress.client("10.0.0.5", null, "for=192.0.2.60;proto=http, for=\"[2001:db8::7]:4711\""));
        assertEquals("192.0.2.60", ingress.client("10.0.0.5", null, "for=192.0.2.60:8080;by=10.0.0.5"));
    }

    @Test
    void aGarbledEntryStopsTheWalkAtTheProxyThatWroteIt() {
        assertEquals("10.0.0.5", ingress.client("10.0.0.5", "198.51.100.7, not-an-ip", null));
        assertEquals("10.0.0.5", ingress.client("10.0.0.5", "x".repeat(70_000), null));
    }

    @Test
    void aHugeHeaderIsReadOnlyAtItsTrustedEnd() {
        String spoofed = "1.1.1.1, ".repeat(10_000) + "198.51.100.7";
        assertEquals("198.51.100.7", ingress.client("10.0.0.5", spoofed, null));
    }

    @Test
    void badTrustedProxyEntriesAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> ForwardedFor.parse("ingress.local"));
    }
}
