package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF table: every spelling of an inside address is refused; public ones and allow-listed ranges pass. */
class DestinationPolicyTest {

    private static final Map<String, String> DNS = Map.of("receiver.example.com", "93.184.216.34", "sneaky.example.com",
            "10.1.2.3", "rebind.example.com", "169.254.169.254", "mixed.example.com", "", "v6private.example.com",
            "fd00::1");

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.equals("mixed.example.com")) {
            return List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1"));
        }
        String ip = DNS.get(host);
        if (ip == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(ip));
    }

    private final DestinationPolicy strict = new DestinationPolicy(false, List.of(), DestinationPolicyTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.1/h", "https://localhost/h", "https://0x7f000001/h",
            "https://2130706433/h", "https://017700000001/h", "https://127.1/h", "https://0177.0.0.1/h",
            "https://0x7f.0.0.1/h", "https://[::1]/h", "https://[::ffff:127.0.0.1]/h", "https://[::ffff:7f00:1]/h",
            "https://169.254.169.254/latest/meta-data", "https://[::ffff:169.254.169.254]/h", "https://10.0.0.1/h",
            "https://172.16.5.4/h", "https://192.168.1.1/h", "https://100.64.0.1/h", "https://[fd00::1]/h",
            "https://[fe80::1]/h", "https://0.0.0.0/h", "https://0/h", "https://[::]/h", "https://224.0.0.1/h",
            "https://[ff02::1]/h", "https://255.255.255.255/h", "https://[64:ff9b::a00:1]/h",
            "https://[2002:a00:1::]/h", "https://sneaky.example.com/h", "https://rebind.example.com/h",
            "https://mixed.example.com/h", "https://v6private.example.com/h", "https://127.0.0.1.:8443/h",
            // issue 14: local-use NAT64 and IPv4-translated addresses were let through
            "https://[64:ff9b:1::5db8:d822]/h", "https://[64:ff9b:1:ffff::1]/h", "https://[::ffff:0:5db8:d822]/h",
            "https://[::ffff:0:a00:1]/h" })
    void insideAddressesAreRefusedInEverySpelling(String url) {
        UnsafeDestinationException e = assertThrows(UnsafeDestinationException.class, () -> strict.check(url));
        assertEquals("destination_not_public", e.code(), url);
    }

    @Test
    void anIpv4MappedAddressKeptAsIpv6IsNotPublicEvenForAPublicIpv4() throws Exception {
        byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 93, (byte) 184, (byte) 216, 34 };
        assertFalse(DestinationPolicy.isPublic(java.net.Inet6Address.getByAddress(null, mapped, -1)));
        assertTrue(DestinationPolicy.isPublic(InetAddress.getByName("93.184.216.34")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://93.184.216.34/h", "ftp://93.184.216.34/h", "file:///etc/passwd",
            "gopher://93.184.216.34/", "//93.184.216.34/h" })
    void onlyHttpsIsAccepted(String url) {
        assertEquals("destination_scheme",
                assertThrows(UnsafeDestinationException.class, () -> strict.check(url)).code());
    }

    @Test
    void userInfoUnresolvableHostsAndOverlongUrlsAreRefused() {
        assertEquals("destination_userinfo", assertThrows(UnsafeDestinationException.class,
                () -> strict.check("https://user:pw@receiver.example.com/h")).code());
        assertEquals("destination_unresolvable",
                assertThrows(UnsafeDestinationException.class, () -> strict.check("https://nowhere.example.com/h"))
                        .code());
        assertEquals("destination_invalid", assertThrows(UnsafeDestinationException.class,
                () -> strict.check("https://receiver.example.com/" + "a".repeat(2048))).code());
        assertEquals("destination_invalid", assertThrows(UnsafeDestinationException.class,
                () -> strict.check("https://receiver.example.com/h#frag")).code());
    }

    @Test
    void publicDestinationsPass() {
        strict.check("https://receiver.example.com/hooks?x=1");
        strict.check("https://93.184.216.34:8443/h");
        strict.check("https://[2606:2800:220:1:248:1893:25c8:1946]/h");
    }

    @Test
    void operatorsMayAllowRangesAndPlainHttp() {
        DestinationPolicy local = new DestinationPolicy(true, List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")),
                DestinationPolicyTest::resolve);
        local.check("http://127.0.0.1:9000/h");
        local.check("http://localhost:9000/h");
        local.check("http://[::1]:9000/h");
        assertEquals("destination_not_public",
                assertThrows(UnsafeDestinationException.class, () -> local.check("http://10.0.0.1/h")).code());
    }

    @Test
    void ipLiteralsParseLikeInetAton() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), IpLiterals.parse("2130706433"));
        assertEquals(InetAddress.getByName("10.0.0.1"), IpLiterals.parse("10.1"));
        assertEquals(InetAddress.getByName("192.168.1.1"), IpLiterals.parse("192.168.257"));
        assertEquals(null, IpLiterals.parse("example.com"));
        assertEquals(null, IpLiterals.parse("1.2.3.4.5"));
        assertEquals(null, IpLiterals.parse("256.1.1.1"));
    }
}
