package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Defaults: a correct secret always passes; 20 failures per 5 minutes of one client id from one address block that pair
 * for 5 minutes; failures per address block its unverifiable requests; 100 tokens per client.
 */
@QuarkusTest
class AbuseLimitsTest {

    @Inject
    CredentialView view;

    @Inject
    MeterRegistry registry;

    private TestClients.Client known() {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment())));
    }

    @Test
    void guessesFromEverywhereNeverLockOutTheCorrectSecret() {
        TestClients.Client victim = known();
        String attacker = newAddress();
        for (int i = 0; i < 25; i++) {
            basic(newAddress(), victim.clientId(), "whsec_guess" + i).then().statusCode(401);
            basic(attacker, victim.clientId(), "whsec_guess" + i).then().statusCode(anyOf(is(401), is(429)));
        }
        // the attacker's own pair is blocked ...
        basic(attacker, victim.clientId(), "whsec_again").then().statusCode(429);
        // ... but the correct secret works from anywhere, the attacker's address included
        basic(attacker, victim.clientId(), victim.secret().value()).then().statusCode(200);
        basic(newAddress(), victim.clientId(), victim.secret().value()).then().statusCode(200);
        assertTrue(registry.counter("keyhook.token.client.failure.alerts").count() >= 1,
                "a failure spike on one client raises an alert");
    }

    @Test
    void madeUpIdsFromOneAddressNeverLockOutACorrectSecretFromThatAddress() {
        TestClients.Client c = known();
        String shared = newAddress();
        for (int i = 0; i < 25; i++) {
            basic(shared, "cl_made" + i, "whsec_guess").then().statusCode(401);
        }
        basic(shared, c.clientId(), c.secret().value()).then().statusCode(200);
    }

    @Test
    void failuresOfOneClientFromOneAddressBlockOnlyThatPair() {
        TestClients.Client c = known();
        String attacker = newAddress();
        for (int i = 0; i < 20; i++) {
            basic(attacker, c.clientId(), "whsec_guess" + i).then().statusCode(401);
        }
        Response blocked = basic(attacker, c.clientId(), "whsec_guess");
        blocked.then().statusCode(429).body("error", equalTo("temporarily_unavailable"));
        long retryAfter = Long.parseLong(blocked.header("Retry-After"));
        assertTrue(retryAfter > 290 && retryAfter <= 300, "Retry-After " + retryAfter);
        basic(newAddress(), c.clientId(), "whsec_guess").then().statusCode(401);
    }

    @Test
    void aSourceOverItsLimitIsRefusedWhatTheViewCannotVouchForButNotACorrectSecret() {
        TestClients.Client c = known();
        String sprayer = newAddress();
        // %test: 40 failures per source (production: 200)
        for (int i = 0; i < 40; i++) {
            basic(sprayer, "cl_spray" + i, "whsec_guess").then().statusCode(401);
        }
        basic(sprayer, "cl_spray_more", "whsec_guess").then().statusCode(429);
        basic(sprayer, c.clientId(), c.secret().value()).then().statusCode(200);
    }

    @Test
    void issuanceIsLimitedPerClient() {
        TestClients.Client busy = known();
        TestClients.Client calm = known();
        String a = newAddress();
        for (int i = 0; i < 100; i++) {
            assertEquals(200, basic(a, busy.clientId(), busy.secret().value()).statusCode(), "token " + (i + 1));
        }
        Response refused = basic(a, busy.clientId(), busy.secret().value());
        refused.then().statusCode(429).body("error", equalTo("temporarily_unavailable"));
        assertTrue(Long.parseLong(refused.header("Retry-After")) > 290);
        basic(a, calm.clientId(), calm.secret().value()).then().statusCode(200);
    }
}
