package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 30: the keys of ES256 and RS256 rotate and are revoked like the default's: a forced rotation gives every
 * algorithm in use a new key that signs after the switch delay, and an emergency revocation of an ES256 signer makes a
 * new ES256 key sign at once and its tokens inactive.
 */
@QuarkusTest
class AlgorithmKeyRotationTest {

    @Inject
    CredentialView credentials;

    @Inject
    EnvironmentView environments;

    private TestClients.Client clientOf(String algorithm) {
        String env = TestClients.environment();
        TestClients.send("keyhook.environments", env,
                "{\"schemaVersion\":1,\"id\":\"" + env + "\",\"name\":\"Rotation\",\"configuration\":{\"name\":\"cfg\","
                        + "\"version\":1,\"dataTypes\":[\"patients\"]},\"updatedAt\":\"" + Instant.now()
                        + "\",\"tokenSigningAlg\":\"" + algorithm + "\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> environments.environment(env) != null);
        return Views.awaitKnown(credentials, TestClients.publish(TestClients.apiClient(env)));
    }

    private String operator() {
        TestClients.Client op = Views.awaitKnown(credentials,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        return basic(op).then().statusCode(200).extract().path("access_token");
    }

    private static String kid(String jwt) {
        return OAuth.part(jwt, 0).path("kid").asText();
    }

    @Test
    void aForcedRotationGivesEveryAlgorithmInUseANewKeyAfterTheSwitch() {
        TestClients.Client es = clientOf("ES256");
        TestClients.Client rs = clientOf("RS256");
        String esBefore = kid(basic(es).path("access_token"));
        String rsBefore = kid(basic(rs).path("access_token"));

        given().auth().oauth2(operator()).post("/api/v1/signing-keys/rotate").then().statusCode(200);
        String jwks = given().get("/.well-known/jwks.json").asString();
        assertTrue(jwks.contains(esBefore) && jwks.contains(rsBefore), "the old keys stay published");

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> !esBefore.equals(kid(basic(es).path("access_token")))
                        && !rsBefore.equals(kid(basic(rs).path("access_token"))));
        String esAfter = basic(es).path("access_token");
        assertEquals("ES256", OAuth.part(esAfter, 0).path("alg").asText());
        assertTrue(given().get("/.well-known/jwks.json").asString().contains(kid(esAfter)));
    }

    @Test
    void anEs256SignerRevokedInAnEmergencyIsReplacedByANewEs256KeyAtOnce() {
        TestClients.Client es = clientOf("ES256");
        String token = basic(es).path("access_token");
        String kid = kid(token);

        given().auth().oauth2(operator()).post("/api/v1/signing-keys/" + kid + "/revoke").then().statusCode(200);

        assertFalse(given().get("/.well-known/jwks.json").asString().contains(kid), "the key left the JWKS");
        String next = basic(es).then().statusCode(200).extract().path("access_token");
        assertNotEquals(kid, kid(next), "a new key signs at once");
        assertEquals("ES256", OAuth.part(next, 0).path("alg").asText(), "of the same algorithm");
        from(newAddress()).auth().preemptive().basic(es.clientId(), es.secret().value()).formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(false));
    }
}
