package io.keyhook.credentials.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.keyhook.testing.TestJws;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * The admin API refuses every token that is not a valid EdDSA token from the trusted issuer for the admin audience: the
 * classic JWT attacks each get 401, while the same claims properly signed get through.
 */
@QuarkusTest
class BadTokenTest {

    static Stream<String> badTokens() {
        return Stream.of("alg-none", "hs256-with-public-key", "hs256-with-jwk-x", "unknown-kid", "expired",
                "wrong-audience", "wrong-issuer", "garbage", "signature-stripped");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokensAreRefusedWith401(String kind) {
        given().auth().oauth2(token(kind)).get("/api/v1/configurations").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("unauthenticated"));
    }

    @Test
    void theSameClaimsProperlySignedAreAccepted() {
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/configurations").then().statusCode(200);
    }

    private static String token(String kind) {
        String operatorClaims = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"mallory\",\"aud\":\"keyhook-admin\","
                + "\"groups\":[\"platform-operator\"],\"environments\":[\"*\"],\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}";
        String good = TestTokens.operator();
        return switch (kind) {
        case "alg-none" -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(operatorClaims) + ".";
        case "hs256-with-public-key" -> hs256(operatorClaims, TestTokens.keys().getPublic().getEncoded());
        case "hs256-with-jwk-x" -> hs256(operatorClaims,
                TestTokens.publicJwk(TestTokens.keys(), TestTokens.KID).getBytes(StandardCharsets.UTF_8));
        case "unknown-kid" -> Jwt.issuer(TestTokens.ISSUER).subject("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").expiresIn(Duration.ofMinutes(10)).jws()
                .algorithm(SignatureAlgorithm.EDDSA).keyId("other-key").sign(TestTokens.generate().getPrivate());
        case "expired" -> Jwt.issuer(TestTokens.ISSUER).subject("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin")
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).jws()
                .algorithm(SignatureAlgorithm.EDDSA).keyId(TestTokens.KID).sign(TestTokens.keys().getPrivate());
        case "wrong-audience" -> Jwt.issuer(TestTokens.ISSUER).subject("app").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-api").expiresIn(Duration.ofMinutes(10)).jws()
                .algorithm(SignatureAlgorithm.EDDSA).keyId(TestTokens.KID).sign(TestTokens.keys().getPrivate());
        case "wrong-issuer" -> Jwt.issuer("https://evil.example/").subject("operator")
                .groups(Set.of("platform-operator")).claim("environments", List.of("*")).audience("keyhook-admin")
                .expiresIn(Duration.ofMinutes(10)).jws().algorithm(SignatureAlgorithm.EDDSA).keyId(TestTokens.KID)
                .sign(TestTokens.keys().getPrivate());
        case "garbage" -> "not-a-jwt";
        case "signature-stripped" -> good.substring(0, good.lastIndexOf('.') + 1);
        default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String hs256(String claims, byte[] key) {
        return TestJws.hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestTokens.KID + "\"}", claims, key);
    }

    private static String b64(String json) {
        return TestJws.b64(json);
    }
}
