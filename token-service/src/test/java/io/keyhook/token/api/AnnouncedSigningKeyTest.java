package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.service.SigningKeys;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A resource server (here token-service's own admin API, which verifies admin tokens against the JWKS like every
 * service) knows a signing key as soon as token-service announces it on {@code keyhook.token-revocations}
 * ({@code signing_key_added}), long before its JWKS refresh interval (issue 28, point 3). Before, it learnt the key at
 * its next refresh, or at the one forced refresh it allows a minute, so a correct token of the new key was refused.
 */
@QuarkusTest
class AnnouncedSigningKeyTest {

    @Inject
    CredentialView view;

    @Inject
    SigningKeys keys;

    @Test
    void aTokenOfAKeyAnnouncedAMomentAgoIsAcceptedAtOnce() {
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        String token = basic(op).path("access_token");
        given().auth().oauth2(token).get("/api/v1/signing-keys").then().statusCode(200);
        // a token naming a key nobody has: the resource server fetches the JWKS once for it, and refuses it
        String[] parts = token.split("\\.");
        given().auth()
                .oauth2(keys.current().sign(parts[1]).replaceFirst("^[^.]+",
                        Base64.getUrlEncoder().withoutPadding()
                                .encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"k_madeUp\"}"
                                        .getBytes(StandardCharsets.UTF_8))))
                .get("/api/v1/signing-keys").then().statusCode(401);

        String kid = given().auth().oauth2(token).post("/api/v1/signing-keys/rotate").then().statusCode(200).extract()
                .path("kid");
        // the same claims signed by the announced key, before it signs anything (switch-delay: 3 s in tests)
        String early = keys.byKid(kid).sign(parts[1]);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(early).get("/api/v1/signing-keys").statusCode() == 200);
    }
}
