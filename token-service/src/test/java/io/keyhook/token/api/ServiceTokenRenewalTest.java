package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.keyhook.token.support.CredentialsStub;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * token-service's own service token on its calls to credentials-service (issue 28, point 3): a token of a revoked
 * signing key is dropped and renewed at once, and a call answered 401 is made once more with a new token. Before, the
 * token was kept until half its lifetime (7.5 minutes) and a 401 was retried with the same token, so every fallback
 * look-up failed after an emergency key revocation.
 */
@QuarkusTest
class ServiceTokenRenewalTest {

    @Inject
    CredentialView view;

    @AfterEach
    void acceptEveryTokenAgain() {
        CredentialsStub.shared().refuseNone();
    }

    @Test
    void afterTheSigningKeyIsRevokedALookupCarriesAServiceTokenOfTheNewKey() {
        String used = lookupOfANewClient(); // the service token exists from here on
        String kid = kidOf(used);
        // credentials-service refuses that key's tokens once it reads the revocation
        CredentialsStub.shared().refuseKey(kid);
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        String opToken = basic(op).path("access_token");
        if (kid.equals(kidOf("Bearer " + opToken))) {
            given().auth().oauth2(opToken).post("/api/v1/signing-keys/" + kid + "/revoke").then().statusCode(200);
        }

        String after = lookupOfANewClient();
        assertNotEquals(kid, kidOf(after), "the look-up after the revocation carries a token of another key");
    }

    @Test
    void aCallAnswered401IsMadeOnceMoreWithANewToken() {
        String used = lookupOfANewClient();
        CredentialsStub.shared().refuseToken(used);

        TestClients.Client c = TestClients.apiClient(TestClients.environment());
        CredentialsStub.shared().put(c.clientId(), c.json());
        basic(newAddress(), c.clientId(), c.secrets().get(0).value()).then().log().ifValidationFails().statusCode(200);
        List<String> sent = CredentialsStub.shared().authorizationsTo("/internal/v1/clients/" + c.clientId());
        assertEquals(2, sent.size(), "the refused call and one more: " + sent);
        assertEquals(used, sent.get(0));
        assertNotEquals(used, sent.get(1), "the second call carries a new token");
    }

    /** A client only credentials-service knows gets a token (through a look-up); the Authorization it carried. */
    private static String lookupOfANewClient() {
        TestClients.Client c = TestClients.apiClient(TestClients.environment());
        CredentialsStub.shared().put(c.clientId(), c.json());
        basic(newAddress(), c.clientId(), c.secrets().get(0).value()).then().log().ifValidationFails().statusCode(200);
        List<String> sent = CredentialsStub.shared().authorizationsTo("/internal/v1/clients/" + c.clientId());
        return sent.get(sent.size() - 1);
    }

    private static String kidOf(String authorization) {
        return OAuth.part(authorization.substring("Bearer ".length()), 0).path("kid").asText();
    }
}
