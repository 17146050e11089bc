package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Defaults: 20 failures per 5 minutes per client id and per address, then 429 for 5 minutes; 100 tokens per client. */
@QuarkusTest
class AbuseLimitsTest {

    @Inject
    CredentialView view;

    private TestClients.Client known() {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment())));
    }

    @Test
    void twentyFailuresForOneClientBlockItButNotOthers() {
        TestClients.Client victim = known();
        TestClients.Client bystander = known();
        for (int i = 0; i < 20; i++) {
            // each attempt from its own address: only the per-client counter can trip
            basic(newAddress(), victim.clientId(), "whsec_guess" + i).then().statusCode(401);
        }
        Response blocked = basic(newAddress(), victim.clientId(), victim.secret().value());
        blocked.then().statusCode(429).body("error", equalTo("temporarily_unavailable"));
        long retryAfter = Long.parseLong(blocked.header("Retry-After"));
        assertTrue(retryAfter > 290 && retryAfter <= 300, "Retry-After " + retryAfter);
        basic(bystander).then().statusCode(200);
    }

    @Test
    void twentyFailuresFromOneAddressBlockThatAddressButNotOthers() {
        TestClients.Client c = known();
        String attacker = newAddress();
        for (int i = 0; i < 20; i++) {
            basic(attacker, "cl_made" + i, "whsec_guess").then().statusCode(401);
        }
        basic(attacker, c.clientId(), c.secret().value()).then().statusCode(429);
        basic(newAddress(), c.clientId(), c.secret().value()).then().statusCode(200);
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
