package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 30: {@code keyhook.token.signing.algorithm=RS256} signs admin tokens and the tokens of Environments without a
 * choice of their own with RS256, and the admin API of this very service (SmallRye JWT against its own JWKS) accepts
 * them. Before, common's {@code mp.jwt.verify.publickey.algorithm=eddsa} made every such admin token a 401.
 */
@QuarkusTest
@TestProfile(ConfiguredAlgorithmTest.Rs256.class)
class ConfiguredAlgorithmTest {

    /** The suite configured for RS256. */
    public static class Rs256 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.token.signing.algorithm", "RS256");
        }
    }

    @Inject
    CredentialView view;

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwks;

    @Test
    void adminAndApiTokensAreRs256AndTheAdminApiTakesThem() {
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        String admin = basic(op).then().statusCode(200).extract().path("access_token");
        assertEquals("RS256", OAuth.part(admin, 0).path("alg").asText());
        given().auth().oauth2(admin).get("/api/v1/signing-keys").then().statusCode(200).body("algorithm",
                hasItem("RS256"));
        given().get("/.well-known/oauth-authorization-server").then().body("access_token_signing_alg_values_supported",
                hasItem("RS256"));

        TestClients.Client app = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        String token = basic(app).then().statusCode(200).extract().path("access_token");
        assertEquals("RS256", OAuth.part(token, 0).path("alg").asText());
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwks.toString())
                .jwsAlgorithm(SignatureAlgorithm.RS256).validateType(false).build();
        decoder.setJwtValidator(
                JwtValidators.createAtJwtValidator().issuer("https://keyhook.test/").audience("keyhook-api").build());
        assertEquals(app.clientId(), decoder.decode(token).getSubject());
    }
}
