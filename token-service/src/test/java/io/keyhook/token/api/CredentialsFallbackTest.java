package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.support.CredentialsStub;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The view and credentials-service together: a secret works before the topic delivers it, and known clients keep
 * getting tokens while credentials-service is down.
 */
@QuarkusTest
class CredentialsFallbackTest {

    @Inject
    CredentialView view;

    @Inject
    CredentialsLookup lookup;

    @Test
    void aClientOnlyCredentialsServiceKnowsGetsATokenAtOnce() {
        TestClients.Client c = TestClients.apiClient(TestClients.environment());
        // committed in credentials-service, not yet published on the topic
        CredentialsStub.shared().put(c.clientId(), c.json());
        basic(c).then().log().ifValidationFails().statusCode(200);
        // a second secret of a known client, likewise
        TestClients.Client rotated = c.withSecret();
        CredentialsStub.shared().put(c.clientId(), rotated.json());
        basic(newAddress(), c.clientId(), rotated.secrets().get(1).value()).then().statusCode(200);
    }

    /**
     * A replica's first lookup can take longer than the timeout (it loads and compiles the whole client path;
     * ReplicasE2ETest saw 401 for a brand-new client on a fresh replica in CI). A timed-out lookup is retried once, so
     * the new secret still works.
     */
    @Test
    void aLookupThatTimesOutIsRetriedSoANewSecretStillWorks() {
        TestClients.Client c = TestClients.apiClient(TestClients.environment());
        CredentialsStub.shared().put(c.clientId(), c.json());
        // longer than the lookup's 2 s timeout, once
        CredentialsStub.shared().slow(c.clientId(), 1, 2_600);
        basic(newAddress(), c.clientId(), c.secrets().get(0).value()).then().log().ifValidationFails().statusCode(200);
        assertEquals(2,
                CredentialsStub.shared().requests().stream()
                        .filter(r -> r.equals("GET /internal/v1/clients/" + c.clientId())).count(),
                "the lookup and its retry");
    }

    @Test
    void aStartedReplicaWarmsItsLookupPathAndLearnsNothingFromIt() {
        // one call of a client id nobody has, made at start, so the first real lookup does not pay for loading the path
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> CredentialsStub.shared().requests()
                .contains("GET /internal/v1/clients/" + CredentialsLookup.WARM_UP_CLIENT_ID));
        assertTrue(view.client(CredentialsLookup.WARM_UP_CLIENT_ID) == null, "nothing learnt from the warm-up");
    }

    /**
     * The runner starts every service at once, so token-service's warm-up often finds credentials-service not yet
     * listening. A single try left the lookup path cold and the first app's new secret was refused in CI
     * (RunnerUpE2ETest: the demo's token request answered 401). The warm-up is tried again until it is answered.
     */
    @Test
    void aWarmUpThatFindsCredentialsServiceUnavailableIsTriedAgainUntilAnswered() throws Exception {
        String path = "GET /internal/v1/clients/" + CredentialsLookup.WARM_UP_CLIENT_ID;
        long before = CredentialsStub.shared().requests().stream().filter(path::equals).count();
        // one warm-up's call and its fault-tolerance retry are refused, as by an instance still starting
        CredentialsStub.shared().failNext(CredentialsLookup.WARM_UP_CLIENT_ID, 2);
        lookup.warmUntilAnswered(Duration.ofMillis(200), Duration.ofSeconds(20)).await().atMost(Duration.ofSeconds(20));
        assertEquals(3, CredentialsStub.shared().requests().stream().filter(path::equals).count() - before,
                "the refused warm-up (a call and its retry), then the one answered");
    }

    @Test
    void unknownClientAndWrongSecretTakeTheSamePath() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        double before = lookup.lookups();
        var unknown = basic(newAddress(), "cl_unknownOne", "whsec_x");
        unknown.then().statusCode(401);
        assertEquals(1, lookup.lookups() - before, "unknown client: one lookup");
        var wrong = basic(newAddress(), c.clientId(), "whsec_x");
        wrong.then().statusCode(401);
        assertEquals(2, lookup.lookups() - before, "wrong secret: one lookup too");
        // and neither answers before the failure floor (20 ms in tests, 200 ms by default)
        assertTrue(unknown.time() >= 20, "unknown client answered after " + unknown.time() + " ms");
        assertTrue(wrong.time() >= 20, "wrong secret answered after " + wrong.time() + " ms");
    }

    @Test
    void knownClientsKeepWorkingWhileCredentialsServiceIsDownAndUnknownOnesFailClosed() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        TestClients.Client unpublished = TestClients.apiClient(c.environment());
        CredentialsStub.shared().down(true);
        try {
            for (int i = 0; i < 5; i++) {
                basic(c).then().statusCode(200);
            }
            CredentialsStub.shared().put(unpublished.clientId(), unpublished.json());
            basic(unpublished).then().statusCode(401);
        } finally {
            CredentialsStub.shared().down(false);
        }
    }
}
