package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.EnvironmentView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 30: access tokens verified the way resource servers verify them, with nothing of ours on the verifying side:
 * Spring Security's {@code NimbusJwtDecoder}, Nimbus's {@code DefaultJWTProcessor} and jose (npm), each knowing only
 * the JWKS URL, the issuer and the audience. An Environment chooses its algorithm ({@code tokenSigningAlg} on
 * {@code keyhook.environments}, as credentials-service publishes it).
 */
@QuarkusTest
class ResourceServerInteropTest {

    private static final String ISSUER = "https://keyhook.test/";

    @Inject
    CredentialView credentials;

    @Inject
    EnvironmentView environments;

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwks;

    /** An Environment with {@code algorithm} (null: the default), known here, and an API client of it. */
    private TestClients.Client clientOf(String algorithm) {
        String env = TestClients.environment();
        String record = "{\"schemaVersion\":1,\"id\":\"" + env + "\",\"name\":\"Interop\",\"configuration\":"
                + "{\"name\":\"cfg\",\"version\":1,\"dataTypes\":[\"patients\"]},\"updatedAt\":\"" + Instant.now()
                + "\"" + (algorithm == null ? "" : ",\"tokenSigningAlg\":\"" + algorithm + "\"") + "}";
        TestClients.send("keyhook.environments", env, record);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> environments.environment(env) != null);
        return Views.awaitKnown(credentials, TestClients.publish(TestClients.apiClient(env)));
    }

    private static String token(TestClients.Client c) {
        return from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", "read").post("/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    /**
     * Spring Security's resource-server decoder, set up for RFC 9068 access tokens as its documentation says: Nimbus's
     * own {@code typ} check off (it takes only {@code JWT}), Spring's access-token validator (typ {@code at+jwt},
     * issuer, audience, exp, iat, sub, jti, client_id) on.
     */
    private NimbusJwtDecoder spring(SignatureAlgorithm algorithm, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwks.toString()).jwsAlgorithm(algorithm)
                .validateType(false).build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator().issuer(ISSUER).audience(audience).build());
        return decoder;
    }

    /** Nimbus's processor with {@code typ: at+jwt} allowed and every algorithm it can select keys for. */
    private DefaultJWTProcessor<SecurityContext> nimbus() throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA),
                        JWKSourceBuilder.create(URI.create(jwks.toString()).toURL()).build()));
        p.setJWTClaimsSetVerifier(
                new DefaultJWTClaimsVerifier<>("keyhook-api", new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                        Set.of("sub", "client_id", "exp", "iat", "jti", "scope")));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = { "ES256", "RS256" })
    void springSecuritysNimbusJwtDecoderVerifiesTheTokensOfAnEnvironmentThatChoseIt(String algorithm) {
        TestClients.Client c = clientOf(algorithm);
        String token = token(c);
        assertEquals(algorithm, OAuth.part(token, 0).path("alg").asText());

        Jwt jwt = spring(SignatureAlgorithm.from(algorithm), "keyhook-api").decode(token);
        assertEquals(c.clientId(), jwt.getSubject());
        assertEquals(ISSUER, jwt.getClaimAsString("iss"));
        assertEquals(List.of("keyhook-api"), jwt.getAudience());
        assertEquals("read", jwt.getClaimAsString("scope"));
        assertEquals(c.environment(), jwt.getClaimAsString("env"));
        assertEquals("at+jwt", jwt.getHeaders().get("typ"));
    }

    @Test
    void springsAudienceValidatorRefusesATokenForAnotherAudienceAndAdminTokensKeepTheDefault() {
        TestClients.Client admin = Views.awaitKnown(credentials,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        // admin tokens keep the configured algorithm (EdDSA here), which Spring cannot verify at all: the audience
        // validator is shown refusing an API token to a decoder that expects the admin audience
        String apiToken = token(clientOf("RS256"));
        JwtValidationException refused = assertThrows(JwtValidationException.class,
                () -> spring(SignatureAlgorithm.RS256, "keyhook-admin").decode(apiToken));
        assertTrue(refused.getMessage().contains("aud"), refused.getMessage());
        // and a decoder left with Nimbus's typ check refuses at+jwt: the reason for validateType(false)
        NimbusJwtDecoder naive = NimbusJwtDecoder.withJwkSetUri(jwks.toString()).jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        assertThrows(JwtValidationException.class, () -> naive.decode(apiToken));
        assertEquals("EdDSA", OAuth.part(basic(admin).path("access_token"), 0).path("alg").asText(),
                "admin tokens keep the configured algorithm");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ES256", "RS256" })
    void nimbusDefaultJwtProcessorVerifiesEs256AndRs256(String algorithm) throws Exception {
        TestClients.Client c = clientOf(algorithm);
        JWTClaimsSet claims = nimbus().process(token(c), null);
        assertEquals(c.clientId(), claims.getSubject());
        assertEquals(c.environment(), claims.getStringClaim("env"));
    }

    /**
     * Nimbus JOSE+JWT 10.7 (what Spring Security 7.1.2 and the OAuth SDK bring) cannot verify EdDSA through its key
     * selector: OKP keys are not converted to Java keys and its verifier factory has no Ed25519 verifier. So an
     * Environment whose resource servers use Nimbus or Spring chooses ES256 or RS256 (docs/authenticating.md).
     */
    @Test
    void nimbusDefaultJwtProcessorFindsNoKeyForEdDsaWhichIsWhyEnvironmentsChoose() throws Exception {
        TestClients.Client c = clientOf(null);
        String token = token(c);
        assertEquals("EdDSA", OAuth.part(token, 0).path("alg").asText(), "the default is unchanged");
        BadJOSEException e = assertThrows(BadJOSEException.class, () -> nimbus().process(token, null));
        assertTrue(e.getMessage().contains("no matching key"), e.getMessage());
    }

    @Test
    void theJwksPublishesAKeyPerAlgorithmInUseEs256SignaturesAreJoseNotDer() {
        String es = token(clientOf("ES256"));
        String rs = token(clientOf("RS256"));
        String ed = token(clientOf(null));
        JsonNode keys = given().get("/.well-known/jwks.json").then().statusCode(200).extract().as(JsonNode.class)
                .path("keys");
        JsonNode ec = find(keys, OAuth.part(es, 0).path("kid").asText());
        assertEquals("EC", ec.path("kty").asText());
        assertEquals("P-256", ec.path("crv").asText());
        assertEquals("ES256", ec.path("alg").asText());
        assertEquals("sig", ec.path("use").asText());
        assertEquals(32, b64(ec.path("x").asText()).length);
        assertEquals(32, b64(ec.path("y").asText()).length);
        JsonNode rsa = find(keys, OAuth.part(rs, 0).path("kid").asText());
        assertEquals("RSA", rsa.path("kty").asText());
        assertEquals("RS256", rsa.path("alg").asText());
        assertEquals("sig", rsa.path("use").asText());
        assertTrue(b64(rsa.path("n").asText()).length >= 256, "2048 bits or more");
        JsonNode okp = find(keys, OAuth.part(ed, 0).path("kid").asText());
        assertEquals("OKP", okp.path("kty").asText());
        assertEquals("Ed25519", okp.path("crv").asText());
        assertEquals("EdDSA", okp.path("alg").asText());
        for (JsonNode k : keys) {
            for (String secret : List.of("d", "p", "q", "dp", "dq", "qi")) {
                assertTrue(k.path(secret).isMissingNode(), "no private member " + secret + " in " + k);
            }
        }
        // RFC 7518 3.4: R||S, 32 bytes each; a DER signature would be 70-72 bytes
        assertEquals(64, b64(es.split("\\.")[2]).length);
        assertEquals(256, b64(rs.split("\\.")[2]).length);
    }

    @Test
    void introspectionAnswersForTokensOfEveryAlgorithm() {
        for (String algorithm : new String[] { "ES256", "RS256", null }) {
            TestClients.Client c = clientOf(algorithm);
            String token = token(c);
            from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("token", token)
                    .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true))
                    .body("client_id", equalTo(c.clientId()));
        }
    }

    /** jose (npm), a Node resource server: {@code jwtVerify} with {@code createRemoteJWKSet}, for all three. */
    @Test
    void nodeJoseVerifiesTokensOfEveryAlgorithm() throws Exception {
        for (String algorithm : new String[] { "ES256", "RS256", "EdDSA" }) {
            TestClients.Client c = clientOf(algorithm);
            assertEquals("{\"alg\":\"" + algorithm + "\",\"sub\":\"" + c.clientId() + "\",\"scope\":\"read\"}",
                    jose(token(c), "keyhook-api"));
        }
        assertEquals("{\"error\":\"ERR_JWT_CLAIM_VALIDATION_FAILED\"}", jose(token(clientOf("RS256")), "keyhook-admin"),
                "the audience is checked");
    }

    private String jose(String token, String audience) throws Exception {
        Path dir = Path.of("src/test/node");
        if (!Files.isDirectory(dir.resolve("node_modules/jose"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            npm.getInputStream().transferTo(System.out);
            assertTrue(npm.waitFor(120, TimeUnit.SECONDS) && npm.exitValue() == 0, "npm ci");
        }
        ProcessBuilder node = new ProcessBuilder("node", "verify-access-token.mjs").directory(dir.toFile())
                .redirectErrorStream(true);
        node.environment().putAll(
                Map.of("JWKS_URL", jwks.toString(), "ISSUER", ISSUER, "AUDIENCE", audience, "ACCESS_TOKEN", token));
        Process p = node.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node finished");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static JsonNode find(JsonNode keys, String kid) {
        for (JsonNode k : keys) {
            if (kid.equals(k.path("kid").asText())) {
                return k;
            }
        }
        throw new AssertionError("no key " + kid + " in the JWKS");
    }

    private static byte[] b64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
