package io.keyhook.credentials.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

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
    void badTokensAreRefusedWith401AndTheReason(String kind) {
        String code = switch (kind) {
        case "expired" -> "token_expired";
        case "wrong-audience" -> "wrong_audience";
        case "wrong-issuer" -> "wrong_issuer";
        default -> "invalid_token";
        };
        // before: every case answered code unauthenticated, "A valid bearer token is required", WWW-Authenticate:
        // Bearer
        given().auth().oauth2(token(kind)).get("/api/v1/configurations").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo(code)).header("WWW-Authenticate",
                        startsWith("Bearer realm=\"keyhook\", error=\"invalid_token\"," + " error_description=\""));
    }

    @Test
    void anApiClientsTokenOnAnAdminApiSaysWhichTokenItTakes() {
        given().auth().oauth2(token("wrong-audience")).get("/api/v1/configurations").then().statusCode(401)
                .body("detail", containsString("they take an admin client's token"));
    }

    @Test
    void noTokenIsTheChallengeWithoutAnErrorCode() {
        given().get("/api/v1/configurations").then().statusCode(401).body("code", equalTo("unauthenticated"))
                .body("detail", containsString("Authorization: Bearer"))
                .header("WWW-Authenticate", equalTo("Bearer realm=\"keyhook\""));
    }

    @Test
    void aTokenExpiredEightSecondsAgoIsRefusedTheAllowanceIsFiveSeconds() {
        // before: accepted for about a minute after exp (SmallRye JWT's default allowance)
        String justExpired = Jwt.issuer(TestTokens.ISSUER).subject("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").issuedAt(Instant.now().minusSeconds(300))
                .expiresAt(Instant.now().minusSeconds(8)).jws().algorithm(SignatureAlgorithm.EDDSA)
                .keyId(TestTokens.KID).sign(TestTokens.keys().getPrivate());
        given().auth().oauth2(justExpired).get("/api/v1/configurations").then().statusCode(401).body("code",
                equalTo("token_expired"));
        String expiringNow = Jwt.issuer(TestTokens.ISSUER).subject("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").issuedAt(Instant.now().minusSeconds(300))
                .expiresAt(Instant.now().minusSeconds(1)).jws().algorithm(SignatureAlgorithm.EDDSA)
                .keyId(TestTokens.KID).sign(TestTokens.keys().getPrivate());
        given().auth().oauth2(expiringNow).get("/api/v1/configurations").then().statusCode(200);
    }

    @Test
    void aForbiddenActionNamesTheGroupItNeeds() {
        // before: "Your role does not allow this action"
        given().auth().oauth2(TestTokens.admin("env-x")).contentType("application/json").body("{\"name\":\"c\"}")
                .post("/api/v1/configurations").then().statusCode(403).body("code", equalTo("forbidden"))
                .body("detail", containsString("needs an admin client in the group platform-operator"))
                .body("requiredGroups", hasItem("platform-operator"));
    }

    @Test
    void aWrongContentTypeSaysWhatToSend() {
        // before: detail "Unsupported Media Type"
        given().auth().oauth2(TestTokens.operator()).contentType("text/plain").body("name=c")
                .post("/api/v1/configurations").then().statusCode(415)
                .body("detail", startsWith("Send Content-Type: application/json; got text/plain"));
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
