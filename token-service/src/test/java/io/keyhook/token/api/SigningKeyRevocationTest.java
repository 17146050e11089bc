package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * An emergency key revocation (issue 14): the key leaves the JWKS and stops signing at once, every token it signed is
 * refused (introspection and the admin API), and a revocation made by another replica reaches this one within a second.
 * Before, only a rotation existed: the old key stayed published, and other replicas signed with it for up to 60 s.
 */
@QuarkusTest
class SigningKeyRevocationTest {

    @Inject
    CredentialView view;

    @Inject
    Pool pool;

    @Test
    void aRevokedKeyIsGoneFromTheJwksSignsNothingAndItsTokensStopWorking() {
        String env = TestClients.environment();
        TestClients.Client api = Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(env)));
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        String apiToken = basic(api).path("access_token");
        String opToken = basic(op).path("access_token");
        String kid = kid(opToken);
        given().auth().oauth2(opToken).get("/api/v1/signing-keys").then().statusCode(200);

        given().auth().oauth2(opToken).post("/api/v1/signing-keys/" + kid + "/revoke").then().statusCode(200);

        assertFalse(given().get("/.well-known/jwks.json").asString().contains(kid), "the key left the JWKS");
        assertNotEquals(kid, kid(basic(api).path("access_token")), "a new key signs");
        introspect(api, apiToken).then().statusCode(200).body("active", equalTo(false));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().auth().oauth2(opToken).get("/api/v1/signing-keys").statusCode() == 401);
        given().auth().oauth2(opToken).post("/api/v1/signing-keys/" + kid + "/revoke").then().statusCode(401);
    }

    @Test
    void aKeyRevokedByAnotherReplicaStopsSigningHereWithinASecond() {
        TestClients.Client api = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        String kid = kid(basic(api).path("access_token"));
        // what another replica's revocation leaves behind: the row revoked, and the record on the topic
        Instant now = Instant.now();
        pool.preparedQuery("update tokens.signing_keys set retire_at = $2, expires_at = $2 where kid = $1")
                .execute(Tuple.of(kid, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))).await().indefinitely();
        TestClients.send("keyhook.token-revocations", kid, "{\"schemaVersion\":1,\"kind\":\"signing_key\",\"kid\":\""
                + kid + "\",\"reason\":\"key_revoked\",\"revokedAt\":\"" + now + "\"}");

        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !given().get("/.well-known/jwks.json").asString().contains(kid));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
            var r = basic(api);
            return r.statusCode() == 200 && !kid.equals(kid(r.path("access_token")));
        });
    }

    private static io.restassured.response.Response introspect(TestClients.Client caller, String token) {
        return from(newAddress()).auth().preemptive().basic(caller.clientId(), caller.secret().value())
                .formParam("token", token).post("/oauth2/introspect");
    }

    private static String kid(String jwt) {
        return OAuth.part(jwt, 0).path("kid").asText();
    }
}
