package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.keyhook.core.text.SafeText;
import io.keyhook.testing.TestJws;
import io.keyhook.token.support.AssertionArbitraries;
import io.keyhook.token.view.ClientKeys;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * A client assertion's header and claims, whatever JSON they hold, parse to an assertion whose key can be looked up or
 * are 401 {@code invalid_client} — never another exception, which the endpoint would answer with a 500 — and what
 * parses has an allowed alg, a kid, a storable jti and a short life.
 */
class ClientAssertionPropertyTest {

    private static final List<String> AUDIENCES = List.of("https://keyhook.test/oauth2/token", "https://keyhook.test/");

    @Property(tries = 2000)
    @StatisticsReport(format = Histogram.class)
    void anyHeaderAndClaimsParseOrAre401(@ForAll("headers") String header, @ForAll("claims") String claims,
            @ForAll("signatures") String signature) {
        String assertion = TestJws.b64(header) + "." + TestJws.b64(claims) + "." + signature;
        ClientAssertion parsed;
        try {
            parsed = ClientAssertion.parse(assertion, AUDIENCES, Instant.now(), Duration.ofSeconds(30),
                    Duration.ofSeconds(300));
        } catch (OAuthException e) {
            if (e.status() != 401 || !OAuthException.INVALID_CLIENT.equals(e.error())) {
                throw new AssertionError(e.status() + " " + e.error() + ": " + e.getMessage());
            }
            Statistics.collect("refused");
            return;
        }
        if (!ClientKeys.ALGORITHMS.contains(parsed.alg()) || parsed.kid() == null
                || SafeText.problem(parsed.jti(), ClientAssertion.MAX_JTI) != null
                || parsed.expiresAt().isAfter(Instant.now().plusSeconds(400))) {
            throw new AssertionError("parsed to an unusable assertion: " + parsed);
        }
        Statistics.collect("parsed");
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> alg = Arbitraries.of("\"ES384\"", "\"RS384\"", "\"EdDSA\"", "\"HS256\"", "\"none\"",
                "\"es384\"");
        Arbitrary<String> valid = Combinators
                .combine(alg, Arbitraries.of("\"JWT\"", "\"jwt\"", "\"at+jwt\"", "7", "null"),
                        AssertionArbitraries.values(1),
                        Arbitraries.of("", ",\"crit\":[\"b64\"],\"b64\":false", ",\"jku\":\"http://127.0.0.1:1/j\"",
                                ",\"jku\":\"::not a uri\"", ",\"jku\":7"))
                .as((a, typ, kid, extra) -> "{\"alg\":" + a + ",\"typ\":" + typ + ",\"kid\":" + kid + extra + "}");
        Arbitrary<String> fixed = Arbitraries.just("{\"alg\":\"ES384\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        return Arbitraries.oneOf(fixed, valid, AssertionArbitraries.headers());
    }

    @Provide
    Arbitrary<String> claims() {
        return AssertionArbitraries.claims("cl_someone");
    }

    @Provide
    Arbitrary<String> signatures() {
        return Arbitraries.oneOf(Arbitraries.just("c2ln"), Arbitraries.just(""), Arbitraries.strings().ofMaxLength(20));
    }
}
