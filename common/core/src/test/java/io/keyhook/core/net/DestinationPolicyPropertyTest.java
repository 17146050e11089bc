package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever URL an admin types, the policy answers a checked URL or an {@link UnsafeDestinationException} (a 422), never
 * another exception; and no spelling of an inside address — dotted, short, decimal, octal, hex, IPv6-mapped, or a name
 * resolving to one — is accepted.
 */
class DestinationPolicyPropertyTest {

    /** Every name resolves to 10.1.2.3: only literal public addresses can pass. */
    private final DestinationPolicy policy = new DestinationPolicy(false, List.of(),
            host -> List.of(InetAddress.getByName("10.1.2.3")));

    @Property(tries = 2000)
    void anyStringIsACheckedUrlOrARefusal(@ForAll("urls") String url) {
        try {
            URI checked = policy.check(url);
            // only a public literal gets through (names all resolve inside here)
            // (java.net.URI has no host for short forms such as 1.0; the policy reads them from the authority)
            String host = checked.getHost() != null ? checked.getHost()
                    : checked.getRawAuthority().replaceAll(":[0-9]*$", "");
            InetAddress a = IpLiterals.parse(host);
            if (a == null || !DestinationPolicy.isPublic(a)) {
                throw new AssertionError("accepted " + url);
            }
        } catch (UnsafeDestinationException expected) {
            // a 422 with a reason
        }
    }

    @Property(tries = 2000)
    void noSpellingOfAnInsideAddressIsAccepted(@ForAll("insideSpellings") String host) {
        assertThrows(UnsafeDestinationException.class, () -> policy.check("https://" + host + "/hook"), host);
    }

    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(120);
        Arbitrary<String> hosts = Arbitraries.strings().withChars("0123456789abcdefx.:[]%@-").ofMaxLength(40);
        return Arbitraries.oneOf(any, hosts.map(h -> "https://" + h + "/p"), hosts.map(h -> "http://" + h),
                Arbitraries.strings().all().ofMaxLength(30).map(s -> "https://" + s));
    }

    /** 127/8, 10/8, 169.254/16, 192.168/16 and 172.16/12 addresses written every way a client might accept. */
    @Provide
    Arbitrary<String> insideSpellings() {
        Arbitrary<long[]> inside = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.just(127L), bytes(), bytes(), bytes())
                        .as(DestinationPolicyPropertyTest::of),
                Combinators.combine(Arbitraries.just(10L), bytes(), bytes(), bytes())
                        .as(DestinationPolicyPropertyTest::of),
                Combinators.combine(Arbitraries.just(169L), Arbitraries.just(254L), bytes(), bytes())
                        .as(DestinationPolicyPropertyTest::of),
                Combinators.combine(Arbitraries.just(192L), Arbitraries.just(168L), bytes(), bytes())
                        .as(DestinationPolicyPropertyTest::of),
                Combinators.combine(Arbitraries.just(172L), Arbitraries.longs().between(16, 31), bytes(), bytes())
                        .as(DestinationPolicyPropertyTest::of));
        return Combinators.combine(inside, Arbitraries.integers().between(0, 6)).as((o, style) -> spell(o, style));
    }

    private static Arbitrary<Long> bytes() {
        return Arbitraries.longs().between(0, 255);
    }

    private static long[] of(long a, long b, long c, long d) {
        return new long[] { a, b, c, d };
    }

    private static String spell(long[] o, int style) {
        long n = (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
        return switch (style) {
        case 0 -> o[0] + "." + o[1] + "." + o[2] + "." + o[3];
        case 1 -> Long.toString(n);
        case 2 -> "0x" + Long.toHexString(n);
        case 3 -> "0" + Long.toOctalString(o[0]) + ".0" + Long.toOctalString(o[1]) + "." + o[2] + "." + o[3];
        case 4 -> o[0] + "." + ((o[1] << 16) | (o[2] << 8) | o[3]);
        case 5 -> "[::ffff:" + o[0] + "." + o[1] + "." + o[2] + "." + o[3] + "]";
        default -> "inside-" + o[3] + ".example";
        };
    }
}
