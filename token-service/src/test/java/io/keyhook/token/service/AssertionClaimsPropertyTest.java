package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.text.SafeText;
import io.keyhook.testing.TestJws;
import io.keyhook.token.support.AssertionArbitraries;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 28, point 6: the assertion's header and claims, whatever JSON they hold, parse to claims a token can be issued
 * on or are {@code invalid_grant}/{@code invalid_request} (400) — never another exception, which the endpoint would
 * answer with a 500. The same generators drive the whole endpoint in {@code AssertionGrantPropertyTest}.
 */
class AssertionClaimsPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIENCE = "https://keyhook.test/oauth2/token";

    @Property(tries = 2000)
    void anyHeaderAndClaimsParseOrAreA400(@ForAll("headers") String header, @ForAll("claims") String claims) {
        String assertion = TestJws.hs256(header, claims, "whsec_k".getBytes(StandardCharsets.UTF_8));
        AssertionClaims parsed;
        try {
            parsed = AssertionClaims.parse(assertion, JSON, AUDIENCE, Instant.now(), Duration.ofSeconds(30),
                    Duration.ofSeconds(300));
        } catch (OAuthException e) {
            if (e.status() != 400) {
                throw new AssertionError(e.status() + " " + e.error() + ": " + e.getMessage());
            }
            return;
        }
        // what parses can be stored in the replay table and bounds its row's life
        if (SafeText.problem(parsed.jti(), AssertionClaims.MAX_JTI) != null
                || parsed.expiresAt().isAfter(Instant.now().plusSeconds(400))) {
            throw new AssertionError("parsed to unusable claims: " + parsed);
        }
    }

    @Provide
    Arbitrary<String> headers() {
        return Arbitraries.oneOf(Arbitraries.just("{\"alg\":\"HS256\"}"), AssertionArbitraries.headers());
    }

    @Provide
    Arbitrary<String> claims() {
        return AssertionArbitraries.claims("cl_someone");
    }
}
