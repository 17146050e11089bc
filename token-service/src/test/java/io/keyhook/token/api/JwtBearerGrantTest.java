package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.support.Assertions;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** RFC 7523 section 2.1: an HS256 assertion signed with the client secret, the platform's original v1 exchange. */
@QuarkusTest
class JwtBearerGrantTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    @Inject
    CredentialView view;

    private static Response exchange(String address, String assertion) {
        return from(address).formParam("grant_type", GRANT).formParam("assertion", assertion).post("/oauth2/token");
    }

    private TestClients.Client known() {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment())));
    }

    @Test
    void aValidAssertionIsExchangedOnceAndOnlyOnce() {
        TestClients.Client c = known();
        String assertion = Assertions.hs256(
                Assertions.claims(c.clientId(), Assertions.AUDIENCE, 60, UUID.randomUUID().toString()),
                c.secret().value());
        Response r = exchange(newAddress(), assertion);
        r.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"));
        assertEquals(c.secret().id(), OAuth.part(r.path("access_token"), 1).path("secret_id").asText());

        exchange(newAddress(), assertion).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("the assertion's jti was already used"));
    }

    @Test
    void everyFlawedAssertionIsInvalidGrant() {
        TestClients.Client c = known();
        String s = c.secret().value();
        String id = c.clientId();
        String a = newAddress();
        String[][] cases = {
                { "wrong audience", Assertions.hs256(Assertions.claims(id, "https://elsewhere/token", 60, jti()), s) },
                { "expired", Assertions.hs256(Assertions.claims(id, Assertions.AUDIENCE, -120, jti()), s) },
                { "lives too long", Assertions.hs256(Assertions.claims(id, Assertions.AUDIENCE, 3600, jti()), s) },
                { "wrong secret", Assertions.hs256(Assertions.claims(id, Assertions.AUDIENCE, 60, jti()), "whsec_x") },
                { "alg none",
                        Assertions.b64("{\"alg\":\"none\"}") + "."
                                + Assertions.b64(Assertions.claims(id, Assertions.AUDIENCE, 60, jti())) + "." },
                { "unknown issuer",
                        Assertions.hs256(Assertions.claims("cl_nobody", Assertions.AUDIENCE, 60, jti()), s) },
                { "no jti", Assertions.hs256(
                        Assertions.claims(id, Assertions.AUDIENCE, 60, jti()).replaceAll(",\"jti\":\"[^\"]*\"", ""),
                        s) },
                { "not a JWT", "abc.def" } };
        for (String[] x : cases) {
            exchange(a, x[1]).then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
        from(a).formParam("grant_type", GRANT).post("/oauth2/token").then().statusCode(400).body("error",
                equalTo("invalid_request"));
    }

    @Test
    void anAssertionOfAnotherClientThanTheAuthenticatedOneIsRefused() {
        TestClients.Client c = known();
        TestClients.Client other = known();
        String assertion = Assertions.hs256(Assertions.claims(other.clientId(), Assertions.AUDIENCE, 60, jti()),
                other.secret().value());
        from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("grant_type", GRANT)
                .formParam("assertion", assertion).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    private static String jti() {
        return UUID.randomUUID().toString();
    }
}
