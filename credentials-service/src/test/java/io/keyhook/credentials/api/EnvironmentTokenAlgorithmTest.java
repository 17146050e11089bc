package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Issue 30: a platform operator chooses the access-token algorithm of an Environment ({@code tokenSigningAlg}), and
 * this service, a SmallRye JWT resource server, accepts admin tokens of every algorithm token-service may sign with.
 */
@QuarkusTest
class EnvironmentTokenAlgorithmTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> alg(String value) {
        Map<String, Object> body = new HashMap<>();
        body.put("tokenSigningAlg", value);
        return body;
    }

    /** The Environment's records on keyhook.environments, oldest first. */
    private static List<JsonNode> records(String env) {
        return TopicReader.readAll("keyhook.environments").stream().filter(r -> env.equals(r.key())).map(r -> {
            try {
                return JSON.readTree(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void anOperatorChoosesRs256ItIsShownPublishedKeptAndResetWithNull() {
        String env = Fixtures.environment();
        String path = "/api/v1/environments/" + env;
        as(TestTokens.operator()).get(path).then().statusCode(200).body("tokenSigningAlg", nullValue());

        as(TestTokens.operator()).body(alg("RS256")).patch(path).then().statusCode(200).body("tokenSigningAlg",
                equalTo("RS256"));
        as(TestTokens.operator()).get(path).then().body("tokenSigningAlg", equalTo("RS256"));
        // a rename leaves the algorithm as it is
        as(TestTokens.operator()).body(Map.of("name", "renamed")).patch(path).then().statusCode(200)
                .body("tokenSigningAlg", equalTo("RS256"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> mine = records(env);
            assertEquals(3, mine.size());
            assertFalse(mine.get(0).has("tokenSigningAlg"), "the default is not written at all");
            assertEquals("RS256", mine.get(1).path("tokenSigningAlg").asText());
            assertEquals("RS256", mine.get(2).path("tokenSigningAlg").asText());
        });

        as(TestTokens.operator()).body(alg(null)).patch(path).then().statusCode(200).body("tokenSigningAlg",
                nullValue());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> mine = records(env);
            assertEquals(4, mine.size());
            assertFalse(mine.get(3).has("tokenSigningAlg"), "back to the default");
        });
        as(TestTokens.operator()).get(path + "/audit").then().statusCode(200).body("items.detail",
                hasItem(org.hamcrest.Matchers.endsWith("token signing algorithm RS256")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "rs256", "HS256", "none", "PS256", "RS256\u0000", " RS256", "" })
    void anyOtherAlgorithmIs400AndChangesNothing(String value) {
        String env = Fixtures.environment();
        String path = "/api/v1/environments/" + env;
        as(TestTokens.operator()).body(alg(value)).patch(path).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("unsupported_token_signing_alg"));
        as(TestTokens.operator()).get(path).then().body("tokenSigningAlg", nullValue());
    }

    @Test
    void onlyAPlatformOperatorChooses() {
        String env = Fixtures.environment();
        as(TestTokens.admin(env)).body(alg("RS256")).patch("/api/v1/environments/" + env).then().statusCode(403);
        as(TestTokens.operator()).get("/api/v1/environments/" + env).then().body("tokenSigningAlg", nullValue());
    }

    /**
     * token-service signs admin tokens with {@code keyhook.token.signing.algorithm}: ES256 and RS256 tokens are
     * accepted like EdDSA ones. Before, common's {@code mp.jwt.verify.publickey.algorithm=eddsa} refused them with 401.
     */
    @ParameterizedTest
    @ValueSource(strings = { "EDDSA", "ES256", "RS256" })
    void adminTokensOfEveryAlgorithmTokenServiceSignsWithAreAccepted(String algorithm) {
        as(TestTokens.operator(SignatureAlgorithm.valueOf(algorithm))).get("/api/v1/environments").then()
                .statusCode(200);
    }

    /** A token must be of its key's algorithm: an RS256 header naming the EC key's kid is refused. */
    @Test
    void aTokenWhoseAlgorithmIsNotItsKeysIsRefused() {
        java.security.KeyPair rsa = rsa();
        String mismatched = Jwt.issuer(TestTokens.ISSUER).subject("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").expiresIn(Duration.ofMinutes(5)).jws()
                .algorithm(SignatureAlgorithm.RS256).keyId(TestTokens.EC_KID).sign(rsa.getPrivate());
        as(mismatched).get("/api/v1/environments").then().statusCode(401);
    }

    private static java.security.KeyPair rsa() {
        try {
            var g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
