package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever a client writes into a forwarding header, it cannot choose the address the trusted proxy saw, and the parser
 * never fails (issue 28, point 1).
 */
class ForwardedForPropertyTest {

    private static final ForwardedFor XFF = ForwardedFor.parse("10.0.0.0/8, 127.0.0.1", "x-forwarded-for");
    private static final ForwardedFor RFC7239 = ForwardedFor.parse("10.0.0.0/8, 127.0.0.1", "forwarded");

    @Property(tries = 500)
    void whatTheClientWritesNeverChoosesTheAddress(@ForAll("clientLines") List<String> clientLines,
            @ForAll("outsideAddresses") InetAddress seen) {
        // the proxy (127.0.0.1) adds the address it saw as a line of its own, after whatever the client sent
        List<String> xff = new ArrayList<>(clientLines);
        xff.add(seen.getHostAddress());
        assertEquals(seen.getHostAddress(), XFF.client("127.0.0.1", xff));
        // or appends it to the client's last line, as nginx's $proxy_add_x_forwarded_for does
        if (!clientLines.isEmpty()) {
            List<String> appended = new ArrayList<>(clientLines);
            appended.set(appended.size() - 1, appended.get(appended.size() - 1) + ", " + seen.getHostAddress());
            assertEquals(seen.getHostAddress(), XFF.client("127.0.0.1", appended));
        }
        List<String> forwarded = new ArrayList<>(clientLines);
        forwarded.add("for=\"" + bracketed(seen) + ":443\";proto=https");
        assertEquals(seen.getHostAddress(), RFC7239.client("127.0.0.1", forwarded));
    }

    @Property(tries = 1000)
    void anyHeaderGivesThePeerOrAnAddressWrittenInIt(@ForAll("clientLines") List<String> lines) {
        for (ForwardedFor parser : List.of(XFF, RFC7239)) {
            String source = parser.client("10.0.0.5", lines);
            assertNotNull(source);
            assertTrue(source.equals("10.0.0.5") || StrictIpAddress.parse(source) != null, source);
        }
    }

    @Property(tries = 1000)
    void strictParsingRoundTripsEveryAddress(@ForAll @Size(16) byte[] v6, @ForAll @Size(4) byte[] v4) throws Exception {
        for (byte[] bytes : List.of(v6, v4)) {
            InetAddress a = InetAddress.getByAddress(bytes);
            InetAddress parsed = StrictIpAddress.parse(a.getHostAddress());
            assertNotNull(parsed, a.getHostAddress());
            assertArrayEquals(a.getAddress(), parsed.getAddress());
        }
    }

    @Property(tries = 2000)
    void anyStringIsAnAddressOnlyIfItSpellsOneExactly(@ForAll("addressLike") String text) throws Exception {
        InetAddress parsed = StrictIpAddress.parse(text);
        if (parsed != null) {
            // only hex digits, colons and dots can have been accepted, so the JDK parses it as a literal too
            assertTrue(text.matches("[0-9A-Fa-f:.]+"), text);
            assertArrayEquals(InetAddress.getByName(text).getAddress(), parsed.getAddress(), text);
        }
    }

    @Provide
    Arbitrary<List<String>> clientLines() {
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(80);
        Arbitrary<String> spoof = outsideAddresses().map(InetAddress::getHostAddress);
        Arbitrary<String> hostile = Arbitraries.of("127.0.0.1", "10.0.0.9", "for=127.0.0.1", "\"", "for=\"[", ",,,",
                "x".repeat(3000), "cafe.bad", "\u0000", "for=\"[::1]\"", "unknown");
        Arbitrary<String> entry = Arbitraries.oneOf(anything, spoof, hostile, spoof.map(s -> "for=" + s));
        return entry.list().ofMaxSize(6).map(entries -> {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < entries.size(); i += 2) {
                lines.add(String.join(", ", entries.subList(i, Math.min(i + 2, entries.size()))));
            }
            return lines;
        });
    }

    @Provide
    Arbitrary<InetAddress> outsideAddresses() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4)
                .filter(b -> b[0] != 10 && b[0] != 127).map(ForwardedForPropertyTest::address);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16)
                .map(ForwardedForPropertyTest::address).filter(a -> a.getAddress().length == 16);
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<String> addressLike() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("0123456789abcdefABCDEF:.%[]x ").ofMaxLength(46);
        Arbitrary<String> mutated = Combinators
                .combine(outsideAddresses().map(InetAddress::getHostAddress), Arbitraries.integers().between(0, 45),
                        Arbitraries.chars().with("0:.f1%g"))
                .as((s, at, c) -> at < s.length() ? s.substring(0, at) + c + s.substring(at) : s);
        return Arbitraries.oneOf(chars, mutated, Arbitraries.strings().ofMaxLength(50));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bracketed(InetAddress a) {
        return a.getAddress().length == 16 ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    }
}
