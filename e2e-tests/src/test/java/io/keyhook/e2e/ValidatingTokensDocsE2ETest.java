package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.tools.examples.ResourceServerExamples;

/**
 * Issue 30: an operator sets an Environment's {@code tokenSigningAlg} on credentials-service, token-service signs that
 * Environment's tokens with it (through {@code keyhook.environments}), and the resource-server code of
 * docs/authenticating.md ("Validating tokens in your API"), as printed, verifies them: Spring Security's
 * {@code NimbusJwtDecoder} and Nimbus's {@code DefaultJWTProcessor} (compiled as {@link ResourceServerExamples}, kept
 * equal to the page by DocsSnippetsTest) for RS256 and ES256, jose (run from the page by
 * docs/examples/node/run-token-snippets.mjs) for all three. Each refuses a tampered token.
 */
class ValidatingTokensDocsE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDocumentedResourceServersVerifyTokensOfTheAlgorithmAnEnvironmentChose() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String issuer = given().get(suite.tokens.url() + "/.well-known/oauth-authorization-server").then()
                .statusCode(200).extract().path("issuer");
        String jwks = suite.tokens.url() + "/.well-known/jwks.json";
        Path node = ServiceProcess.root().resolve("docs/examples/node");
        if (!Files.isDirectory(node.resolve("node_modules/jose"))) {
            assertEquals(0, run(node, Map.of(), "npm", "ci", "--no-audit", "--no-fund").exit(), "npm ci");
        }

        for (String algorithm : new String[] { "RS256", "ES256", "EdDSA" }) {
            String env = setup.environment("tokalg", "Token algorithm " + algorithm, "patients");
            Map<String, Object> choice = new HashMap<>();
            choice.put("tokenSigningAlg", algorithm);
            setup.admin().body(choice).patch(suite.credentials.url() + "/api/v1/environments/" + env).then()
                    .statusCode(200);
            Setup.Client app = setup.client(env, "resource-server-" + algorithm);
            String[] token = { null };
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                token[0] = Setup.token(suite, app.id(), app.secretValue());
                return algorithm.equals(header(token[0]).get("alg"));
            });
            String tampered = tamper(token[0]);

            if (!"EdDSA".equals(algorithm)) {
                assertEquals(app.id(), ResourceServerExamples.spring(jwks, issuer, token[0]), algorithm);
                assertEquals(app.id(), ResourceServerExamples.nimbus(jwks, issuer, token[0]), algorithm);
                assertThrows(RuntimeException.class, () -> ResourceServerExamples.spring(jwks, issuer, tampered));
                assertThrows(Exception.class, () -> ResourceServerExamples.nimbus(jwks, issuer, tampered));
                assertThrows(RuntimeException.class,
                        () -> ResourceServerExamples.spring(jwks, issuer + "/other", token[0]), "another issuer");
            }
            Result ok = jose(node, token[0], jwks, issuer);
            assertEquals(0, ok.exit(), ok.out());
            assertTrue(ok.out().contains("verified " + app.id()), ok.out());
            assertNotEquals(0, jose(node, tampered, jwks, issuer).exit(), "a tampered token must be refused");
        }

        // null goes back to the default: the same Environment's tokens are EdDSA again
        String env = setup.environment("tokalg", "Token algorithm reset", "patients");
        Setup.Client app = setup.client(env, "resource-server-reset");
        setup.admin().body(Map.of("tokenSigningAlg", "RS256"))
                .patch(suite.credentials.url() + "/api/v1/environments/" + env).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "RS256".equals(header(Setup.token(suite, app.id(), app.secretValue())).get("alg")));
        Map<String, Object> reset = new HashMap<>();
        reset.put("tokenSigningAlg", null);
        setup.admin().body(reset).patch(suite.credentials.url() + "/api/v1/environments/" + env).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "EdDSA".equals(header(Setup.token(suite, app.id(), app.secretValue())).get("alg")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(String jwt) throws Exception {
        return JSON.readValue(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), Map.class);
    }

    /** The same token with another payload: the signature no longer matches. */
    private static String tamper(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        claims.put("scope", "read write admin");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims))
                + "." + parts[2];
    }

    record Result(int exit, String out) {
    }

    private static Result jose(Path dir, String token, String jwks, String issuer) throws Exception {
        return run(dir, Map.of("TOKEN", token, "KEYHOOK_JWKS_URL", jwks, "KEYHOOK_ISSUER", issuer), "node",
                "run-token-snippets.mjs");
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        return new Result(process.exitValue(), out);
    }
}
