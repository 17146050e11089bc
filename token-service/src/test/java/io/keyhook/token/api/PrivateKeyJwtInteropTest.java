package io.keyhook.token.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

import io.keyhook.token.support.KeyClients;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * private_key_jwt with Node clients nobody here wrote ({@code src/test/node/private-key-jwt.mjs}): openid-client 6's
 * {@code PrivateKeyJwt} with an EC (ES384) and an RSA (RS384) key, and Inferno's SMART Backend Services checks made
 * with {@code jose} (Inferno's test kit is Ruby and cannot be installed here).
 */
@QuarkusTest
class PrivateKeyJwtInteropTest {

    @Inject
    CredentialView view;

    @TestHTTPResource("/oauth2/token")
    URL tokenEndpoint;

    @Test
    void openidClientAndInfernosBackendServicesChecksPass() throws Exception {
        ECKey ec = KeyClients.ec(Curve.P_384);
        RSAKey rsa = KeyClients.rsa(2048);
        KeyClients.Client c = KeyClients.publish(KeyClients.inline(ec, rsa));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> view.client(c.clientId()) != null);

        JsonNode r = new ObjectMapper().readTree(node(Map.of("TOKEN_URL", tokenEndpoint.toString(), "ISSUER",
                "https://keyhook.test/", "AUDIENCE", KeyClients.AUDIENCE, "CLIENT_ID", c.clientId(), "EC_JWK",
                ec.toJSONString(), "RSA_JWK", rsa.toJSONString())));

        assertEquals("{\"token\":true,\"expires_in\":300}", r.path("openidClientEc").toString());
        assertEquals("{\"token\":true,\"expires_in\":300}", r.path("openidClientRsa").toString());
        assertEquals("{\"status\":400,\"error\":\"unsupported_grant_type\"}", r.path("wrongGrantType").toString());
        assertEquals("{\"status\":400,\"error\":\"invalid_request\"}", r.path("wrongAssertionType").toString());
        int wrongIss = r.path("wrongIss").path("status").asInt();
        assertTrue(wrongIss == 400 || wrongIss == 401, r.path("wrongIss").toString());
        for (String valid : List.of("validEc", "validRsa")) {
            JsonNode v = r.path(valid);
            assertEquals(200, v.path("status").asInt(), v.toString());
            assertEquals("[\"access_token\",\"expires_in\",\"scope\",\"token_type\"]", v.path("keys").toString());
            assertEquals("Bearer", v.path("token_type").asText());
            assertEquals(300, v.path("expires_in").asInt());
            assertTrue(v.path("scope").asBoolean());
        }
    }

    /** Runs the script once; its last line of output. */
    private static String node(Map<String, String> env) throws Exception {
        Path dir = Path.of("src/test/node");
        if (!Files.isDirectory(dir.resolve("node_modules/jose"))) {
            Process ci = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(ci.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ci.waitFor(300, TimeUnit.SECONDS), "npm ci finished");
            assertEquals(0, ci.exitValue(), out);
        }
        ProcessBuilder pb = new ProcessBuilder("node", "private-key-jwt.mjs").directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node finished");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
