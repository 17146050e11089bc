package io.keyhook.token.api;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.testing.TestJws;
import io.keyhook.token.service.OAuthException;
import io.keyhook.token.support.AssertionArbitraries;
import io.keyhook.token.support.Assertions;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Issue 28, point 6: an RFC 7523 assertion with any header and any claims JSON — numbers out of every range, strings
 * where numbers belong, nested objects, NUL in the jti — is answered with a token or an RFC 6749 error, never a 5xx.
 * Runs the real path ({@link TokenExchange}: form, assertion parsing, signature against a real client's secret, the
 * replay table in PostgreSQL, issuance). jqwik cannot run inside a {@code @QuarkusTest}, so its generators are sampled
 * here; a failure prints the input.
 */
@QuarkusTest
class AssertionGrantPropertyTest {

    private static final String VALID_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    @Inject
    TokenExchange exchange;

    @Inject
    CredentialView view;

    @Test
    void anyUnsignedOrBadlySignedAssertionIsNeverAServerError() {
        Arbitrary<String> assertions = Arbitraries.oneOf(
                Combinators
                        .combine(AssertionArbitraries.headers(), AssertionArbitraries.claims("cl_nobody"),
                                Arbitraries.strings().ofMaxLength(50))
                        .as((h, c, s) -> Assertions.b64(h) + "." + Assertions.b64(c) + "." + s),
                Arbitraries.strings().withChars("abcXYZ09-_.=+/%\u0000").ofMaxLength(120),
                Combinators.combine(AssertionArbitraries.headers(), AssertionArbitraries.claims("cl_nobody"))
                        .as((h, c) -> TestJws.hs256(h, c, "whsec_not_the_secret".getBytes(StandardCharsets.UTF_8))));
        assertions.sampleStream().limit(400).forEach(a -> neverAServerError(a));
    }

    /**
     * Signed with the issuing client's real secret, so every claim check is reached, and the ones that pass them reach
     * the replay table and issuance.
     */
    @Test
    void anyAssertionSignedWithARealSecretIsNeverAServerError() {
        List<TestClients.Client> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment()))));
        }
        int[] issued = { 0 };
        Arbitraries.integers().between(0, clients.size() - 1).flatMap(i -> {
            TestClients.Client c = clients.get(i);
            byte[] key = c.secret().value().getBytes(StandardCharsets.UTF_8);
            return Combinators
                    .combine(Arbitraries.oneOf(Arbitraries.just(VALID_HEADER), AssertionArbitraries.headers()),
                            AssertionArbitraries.claims(c.clientId()))
                    .as((h, claims) -> TestJws.hs256(h, claims, key));
        }).sampleStream().limit(400).forEach(a -> {
            if (neverAServerError(a)) {
                issued[0]++;
            }
        });
        assertTrue(issued[0] > 0, "some samples were valid assertions, so the whole path ran");
    }

    /** True when a token was issued; fails the test on anything but a token or a 4xx RFC 6749 error. */
    private boolean neverAServerError(String assertion) {
        String body = "grant_type=" + URLEncoder.encode(TokenExchange.JWT_BEARER, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        try {
            exchange.exchange(body, null, OAuth.newAddress()).await().atMost(Duration.ofSeconds(20));
            return true;
        } catch (OAuthException e) {
            if (e.status() >= 500) {
                fail(e.status() + " " + e.error() + " (" + e.getMessage() + ") for the assertion "
                        + describe(assertion));
            }
            return false;
        }
    }

    private static String describe(String assertion) {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return assertion;
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            return new String(d.decode(parts[0]), StandardCharsets.UTF_8) + " . "
                    + new String(d.decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return assertion;
        }
    }
}
