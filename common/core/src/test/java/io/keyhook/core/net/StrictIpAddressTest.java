package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class StrictIpAddressTest {

    @Test
    void standardSpellingsAreAddresses() throws Exception {
        for (String text : List.of("0.0.0.0", "203.0.113.9", "255.255.255.255", "::", "::1", "2001:db8::7",
                "2001:DB8:0:0:0:0:0:7", "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::", "::ffff:192.0.2.1",
                "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4")) {
            InetAddress parsed = StrictIpAddress.parse(text);
            assertNotNull(parsed, text);
            assertArrayEquals(InetAddress.getByName(text).getAddress(), parsed.getAddress(), text);
        }
    }

    @Test
    void everythingElseIsNot() {
        for (String text : List.of("", " 1.2.3.4", "1.2.3.4 ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3",
                "127.1", "0x7f.0.0.1", "2130706433", "cafe.bad", "cafe:bad", "localhost", ":::", "1:::2", "::1::",
                "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "::g", "fe80::1%eth0", "[::1]", "1.2.3.4::",
                "::1.2.3", "::1.2.3.4.5", "１.２.３.４", "::ｆ", "1:2:3:4:5:6:7:1.2.3.4", ":1::2", "1:")) {
            assertNull(StrictIpAddress.parse(text), text);
        }
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() {
        assertEquals("192.0.2.1", StrictIpAddress.parse("::ffff:192.0.2.1").getHostAddress());
    }
}
