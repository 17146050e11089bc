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

    /**
     * Issue 28, point 6: a numeric claim out of range, or a claim that is no number, is {@code invalid_grant}. On main
     * {@code "exp":1e300} answered 500 {@code server_error} (a DateTimeException logged at ERROR).
     */
    @Test
    void aTimeClaimOutOfRangeOrOfTheWrongTypeIsInvalidGrantNotAServerError() {
        TestClients.Client c = known();
        long now = System.currentTimeMillis() / 1000;
        String valid = "\"iss\":\"" + c.clientId() + "\",\"aud\":\"" + Assertions.AUDIENCE + "\",\"jti\":\"";
        String exp = ",\"exp\":" + (now + 60);
        String[] claims = { "\"exp\":1e300", "\"exp\":-1e300", "\"exp\":1e400",
                "\"exp\":123456789012345678901234567890", "\"exp\":-9223372036854775808",
                "\"exp\":\"" + (now + 60) + "\"", "\"exp\":{\"n\":1}", "\"exp\":31556889864403199",
                "\"iat\":1e300" + exp, "\"iat\":-1e300" + exp, "\"nbf\":1e300" + exp, "\"nbf\":-1e300" + exp,
                "\"nbf\":\"soon\"" + exp, "\"iat\":[1]" + exp, "\"nbf\":null" + exp };
        String a = newAddress();
        for (String claim : claims) {
            String assertion = Assertions.hs256("{" + valid + jti() + "\"," + claim + "}", c.secret().value());
            Response r = exchange(a, assertion);
            assertEquals(400, r.statusCode(), claim + ": " + r.asString());
            assertEquals("invalid_grant", r.path("error"), claim);
        }
    }

    /** Issue 28, point 6: a jti the replay table cannot store (a NUL, a lone surrogate) is invalid_grant, not a 500. */
    @Test
    void aJtiThatCannotBeStoredIsInvalidGrantNotAServerError() {
        TestClients.Client c = known();
        String a = newAddress();
        for (String jti : new String[] { "\\u0000", "a\\u0000b", "\\ud800", "tab\\there" }) {
            String claims = Assertions.claims(c.clientId(), Assertions.AUDIENCE, 60, "JTI").replace("JTI", jti);
            Response r = exchange(a, Assertions.hs256(claims, c.secret().value()));
            assertEquals(400, r.statusCode(), jti + ": " + r.asString());
            assertEquals("invalid_grant", r.path("error"), jti);
        }
    }

    private static String jti() {
        return UUID.randomUUID().toString();
    }
}
