package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.core.crypto.SecretGenerator;
import io.restassured.response.Response;

/**
 * The console's key rotation against the real credentials-service key-rotation API and token-service's key-use reports:
 * start with a pasted public JWK, a finish refused while the new key is unused (the failing check listed), the App's
 * token request with the new key, "Check now" until both checks pass, then a verified finish that removes the old key.
 */
class ConsoleKeyRotationE2ETest {

    static final Pattern ROTATION = Pattern.compile("/key-rotations/(cl_[0-9A-Za-z]+)/([0-9A-Za-z_]+)\\?done=started");

    @Test
    void aKeyIsRotatedThroughTheConsoleOnceTheAppUsesTheNewOne() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("console-krot", "Console key rotation", "patients");
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        ECKey oldKey = new ECKeyGenerator(Curve.P_256).keyID("app-old").algorithm(JWSAlgorithm.ES256).generate();
        ECKey newKey = new ECKeyGenerator(Curve.P_256).keyID("app-new").algorithm(JWSAlgorithm.ES256).generate();
        String clientId = setup.admin()
                .body(Map.of("name", "backend app", "authMethod", "private_key_jwt", "jwks",
                        Map.of("keys", List.of(oldKey.toPublicJWK().toJSONObject()))))
                .post(clients).then().statusCode(201).extract().path("clientId");

        ConsoleClient admin = new ConsoleClient(suite.console().url());
        assertEquals(303, admin.signIn(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).statusCode());
        String e = "/environments/" + env;
        assertTrue(admin.get(e + "/clients/" + clientId).asString()
                .contains(e + "/key-rotations/" + clientId + "/new?oldKid=app-old"), "Rotate key on the old key");
        String csrf = admin.csrfOf(e + "/key-rotations/" + clientId + "/new?oldKid=app-old");

        Response started = admin.request().formParam("_csrf", csrf).formParam("oldKid", "app-old")
                .formParam("newKey", newKey.toPublicJWK().toJSONString())
                .post(admin.base + e + "/key-rotations/" + clientId);
        assertEquals(303, started.statusCode());
        Matcher m = ROTATION.matcher(started.getHeader("Location"));
        assertTrue(m.find(), started.getHeader("Location"));
        String page = e + "/key-rotations/" + clientId + "/" + m.group(2);
        String shown = admin.get(page + "?done=started").asString();
        assertTrue(shown.contains("<li id=\"check-new_key_used\">✗"), shown);

        // not verified yet: the finish is refused and the page lists what fails
        assertEquals(303, admin.request().formParam("_csrf", csrf).post(admin.base + page + "/finish").statusCode());
        shown = admin.get(page).asString();
        assertTrue(shown.contains("id=\"finish-refused\"")
                && shown.contains("✗ Your App signed a token request with" + " the new key"), shown);

        // the App gets a token with the new key; token-service reports the use
        String tokenEndpoint = given().get(suite.tokens.url() + "/.well-known/oauth-authorization-server").then()
                .statusCode(200).extract().path("token_endpoint");
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion(newKey, clientId, tokenEndpoint))
                .post(suite.tokens.url() + "/oauth2/token").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin.get(page + "?done=checked").asString().contains("Both checks pass"));

        assertEquals(303, admin.request().formParam("_csrf", csrf).post(admin.base + page + "/finish").statusCode());
        shown = admin.get(page + "?done=finished").asString();
        assertTrue(shown.contains("id=\"rotation-state\">finished<"), shown);
        String client = admin.get(e + "/clients/" + clientId).asString();
        assertTrue(client.contains("class=\"kid\">app-new<") && !client.contains("class=\"kid\">app-old<"), client);
    }

    private static String assertion(ECKey key, String clientId, String audience) throws Exception {
        long now = System.currentTimeMillis();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                        .jwtID(SecretGenerator.newId("jti_")).issueTime(new Date(now))
                        .expirationTime(new Date(now + 60_000)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
