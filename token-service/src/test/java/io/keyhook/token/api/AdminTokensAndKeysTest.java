package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Admin clients log in here for the admin APIs (this service's own admin API trusts its own JWKS, as every admin API
 * does by default); API clients' tokens never open them. Signing keys rotate with overlap.
 */
@QuarkusTest
class AdminTokensAndKeysTest {

    @Inject
    CredentialView view;

    private TestClients.Client operator() {
        return Views.awaitKnown(view, TestClients
                .publish(TestClients.adminClient(List.of("platform-operator", "integration-admin"), List.of("*"))));
    }

    @Test
    void anAdminClientsTokenCarriesItsGroupsAndEnvironmentsForTheAdminAudience() {
        TestClients.Client admin = Views.awaitKnown(view, TestClients
                .publish(TestClients.adminClient(List.of("integration-admin"), List.of("sandbox-test", "live"))));
        Response r = basic(admin);
        r.then().statusCode(200).body("scope", equalTo("integration-admin"));
        JsonNode claims = OAuth.part(r.path("access_token"), 1);
        assertEquals("keyhook-admin", claims.path("aud").asText());
        assertEquals("[\"integration-admin\"]", claims.path("groups").toString());
        assertEquals("[\"sandbox-test\",\"live\"]", claims.path("environments").toString());
        assertFalse(claims.has("env"));
        // a requested scope narrows the groups; a group it does not have is invalid_scope
        TestClients.Client op = operator();
        Response narrowed = from(newAddress()).auth().preemptive().basic(op.clientId(), op.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", "integration-admin")
                .post("/oauth2/token");
        assertEquals("[\"integration-admin\"]", OAuth.part(narrowed.path("access_token"), 1).path("groups").toString());
        from(newAddress()).auth().preemptive().basic(admin.clientId(), admin.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", "platform-operator")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void onlyAdminTokensOpenTheAdminApi() {
        String operatorToken = basic(operator()).path("access_token");
        String apiToken = basic(
                Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment()))))
                        .path("access_token");
        given().auth().oauth2(operatorToken).get("/api/v1/signing-keys").then().statusCode(200);
        given().auth().oauth2(apiToken).get("/api/v1/signing-keys").then().statusCode(401)
                .contentType("application/problem+json");
        given().get("/api/v1/signing-keys").then().statusCode(401);
        // integration admins may not touch keys
        TestClients.Client admin = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("integration-admin"), List.of("*"))));
        given().auth().oauth2(basic(admin).<String> path("access_token")).get("/api/v1/signing-keys").then()
                .statusCode(403);
    }

    @Test
    void rotationSignsWithANewKeyAndKeepsTheOldOnePublished() {
        TestClients.Client op = operator();
        String operatorToken = basic(op).path("access_token");
        String before = OAuth.part(operatorToken, 0).path("kid").asText();

        // the new key is published at once and signs after keyhook.token.signing.switch-delay (2 s), so every
        // replica's JWKS carries it first
        String rotated = given().auth().oauth2(operatorToken).post("/api/v1/signing-keys/rotate").then().statusCode(200)
                .body("signing", equalTo(false)).extract().path("kid");
        assertNotEquals(before, rotated);
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItems(before, rotated));
        String during = basic(newAddress(), op.clientId(), op.secret().value()).path("access_token");
        assertEquals(before, OAuth.part(during, 0).path("kid").asText(), "the old key signs until the switch");

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> rotated.equals(
                        OAuth.part(basic(newAddress(), op.clientId(), op.secret().value()).path("access_token"), 0)
                                .path("kid").asText()));
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItems(before, rotated))
                // the configured algorithm's key (other algorithms' keys may be published too: issue 30)
                .body("keys.find { it.kid == '" + rotated + "' }.crv", equalTo("Ed25519"))
                .body("keys.find { it.kid == '" + rotated + "' }.kty", equalTo("OKP"))
                .body("keys.d", not(hasItem(notNullValue())));
        // tokens signed by the old key still work
        given().auth().oauth2(operatorToken).get("/api/v1/signing-keys").then().statusCode(200)
                .body("findAll { it.kid == '" + before + "' }", hasSize(1))
                .body("find { it.kid == '" + before + "' }.signing", equalTo(false));
    }

    @Test
    void discoveryDocumentDescribesTheServer() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("issuer", equalTo("https://keyhook.test/"))
                .body("token_endpoint", equalTo("https://keyhook.test/oauth2/token"))
                .body("jwks_uri", equalTo("https://keyhook.test/.well-known/jwks.json"))
                .body("grant_types_supported",
                        hasItems("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"))
                .body("token_endpoint_auth_methods_supported", hasItems("client_secret_basic", "client_secret_post"))
                .body("introspection_endpoint", equalTo("https://keyhook.test/oauth2/introspect"))
                .body("revocation_endpoint", equalTo("https://keyhook.test/oauth2/revoke"))
                .body("access_token_signing_alg_values_supported", hasItems("EdDSA"));
    }
}
