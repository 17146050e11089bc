package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The settings that let the local suite point webhooks at loopback ({@code keyhook.webhooks.destinations.allow-http}
 * and {@code allowed-cidrs}) apply to a private_key_jwt client's jwksUri the same way; nothing outside the allowed
 * ranges gets in. ({@link PrivateKeyJwtClientTest} shows the same URLs refused without them.)
 */
@QuarkusTest
@TestProfile(JwksUriAllowedRangesTest.LoopbackAllowed.class)
class JwksUriAllowedRangesTest {

    public static class LoopbackAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.webhooks.destinations.allow-http", "true",
                    "keyhook.webhooks.destinations.allowed-cidrs", "127.0.0.0/8,::1/128");
        }
    }

    @Test
    void loopbackIsAcceptedOnlyAsTheAllowSettingsSay() {
        String env = Fixtures.environment();
        for (String uri : new String[] { "http://127.0.0.1:8099/jwks.json", "https://localhost:8443/jwks",
                "http://[::1]:8099/jwks" }) {
            create(env, uri).then().statusCode(201).body("jwksUri", equalTo(uri));
        }
        create(env, "https://10.0.0.5/jwks").then().statusCode(400).body("code", equalTo("jwks_uri_not_public"));
        create(env, "https://169.254.169.254/latest").then().statusCode(400).body("code",
                equalTo("jwks_uri_not_public"));
        create(env, "ftp://127.0.0.1/jwks").then().statusCode(400).body("code", equalTo("jwks_uri_scheme"));
    }

    private static io.restassured.response.Response create(String env, String uri) {
        return as(TestTokens.admin(env))
                .body(Map.of("name", Fixtures.uniqueId("svc"), "authMethod", "private_key_jwt", "jwksUri", uri))
                .post("/api/v1/environments/" + env + "/clients");
    }
}
