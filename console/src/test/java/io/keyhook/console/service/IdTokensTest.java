package io.keyhook.console.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.config.ConsoleConfig;
import io.keyhook.testing.StubHttpServer;

/**
 * An ID token is taken only when OpenID Connect Core 3.1.3.7 holds: signed by the provider (a key of its JWKS, found
 * directly or through discovery, or the client secret for HS256), issued by the expected issuer for this client, not
 * expired beyond the 30 s skew, with a subject, and carrying this sign-in's nonce. The provider is a real HTTP server.
 */
class IdTokensTest {

    private static final String CLIENT = "keyhook-console";
    private static final String SECRET = "a-client-secret-of-at-least-thirty-two-bytes";
    private static final String NONCE = "n-0S6_WzA2Mj";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EllipticCurveJsonWebKey providerKey;
    private static StubHttpServer provider;
    private static String issuer;

    @BeforeAll
    static void provider() throws Exception {
        providerKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        providerKey.setKeyId("k1");
        String jwks = new JsonWebKeySet(providerKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        provider = new StubHttpServer(ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/.well-known/openid-configuration")) {
                StubHttpServer.respond(ex, 200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}");
            } else if (path.equals("/jwks")) {
                StubHttpServer.respond(ex, 200, jwks);
            } else {
                StubHttpServer.respond(ex, 404, "{}");
            }
        });
        issuer = provider.url();
    }

    private static ConsoleConfig.Oidc oidc(String issuer, String jwksUri) {
        return new ConsoleConfig.Oidc() {
            public boolean enabled() {
                return true;
            }

            public String providerName() {
                return "Test provider";
            }

            public Optional<String> issuer() {
                return Optional.ofNullable(issuer);
            }

            public Optional<String> authorizationEndpoint() {
                return Optional.empty();
            }

            public Optional<String> tokenEndpoint() {
                return Optional.empty();
            }

            public Optional<String> clientId() {
                return Optional.of(CLIENT);
            }

            public Optional<String> clientSecret() {
                return Optional.of(SECRET);
            }

            public String scopes() {
                return "openid";
            }

            public Optional<String> redirectUri() {
                return Optional.empty();
            }

            public Optional<String> jwksUri() {
                return Optional.ofNullable(jwksUri);
            }
        };
    }

    private static IdTokens tokens() {
        return new IdTokens(oidc(issuer, issuer + "/jwks"), Duration.ofSeconds(5), JSON);
    }

    private static JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(CLIENT);
        c.setSubject("alice");
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(5);
        c.setClaim("nonce", NONCE);
        return c;
    }

    private static String hs256(JwtClaims claims, String secret) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static String es256(JwtClaims claims, EllipticCurveJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    @Test
    void aTokenSignedWithTheClientSecretIsTakenAndItsClaimsReturned() throws Exception {
        JsonNode claims = tokens().verify(hs256(claims(), SECRET), NONCE);
        assertNotNull(claims);
        assertEquals("alice", claims.path("sub").asText());
        assertEquals(NONCE, claims.path("nonce").asText());
    }

    @Test
    void aTokenSignedWithAProviderKeyOfTheJwksIsTaken() throws Exception {
        JsonNode claims = tokens().verify(es256(claims(), providerKey), NONCE);
        assertNotNull(claims);
        assertEquals("alice", claims.path("sub").asText());
    }

    @Test
    void withoutAJwksUriTheKeysAreFoundThroughTheIssuersDiscoveryDocument() throws Exception {
        IdTokens discovering = new IdTokens(oidc(issuer, null), Duration.ofSeconds(5), JSON);
        assertNotNull(discovering.verify(es256(claims(), providerKey), NONCE));
    }

    @Test
    void anotherSecretOrAnotherKeyWithTheSameKidIsRefused() throws Exception {
        assertNull(tokens().verify(hs256(claims(), SECRET + "-not"), NONCE));
        EllipticCurveJsonWebKey impostor = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        impostor.setKeyId("k1");
        assertNull(tokens().verify(es256(claims(), impostor), NONCE));
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String token = es256(claims(), providerKey);
        String[] parts = token.split("\\.");
        JwtClaims changed = claims();
        changed.setSubject("mallory");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(changed.toJson().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertNull(tokens().verify(forged, NONCE));
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertNull(tokens().verify(jws.getCompactSerialization(), NONCE));
    }

    @Test
    void anotherIssuerOrAudienceIsRefused() throws Exception {
        JwtClaims otherIssuer = claims();
        otherIssuer.setIssuer("https://evil.example");
        assertNull(tokens().verify(es256(otherIssuer, providerKey), NONCE));
        JwtClaims otherAudience = claims();
        otherAudience.setAudience("another-client");
        assertNull(tokens().verify(es256(otherAudience, providerKey), NONCE));
    }

    @Test
    void expiryIsCheckedWithThirtySecondsOfSkew() throws Exception {
        long now = NumericDate.now().getValue();
        JwtClaims justExpired = claims();
        justExpired.setIssuedAt(NumericDate.fromSeconds(now - 300));
        justExpired.setExpirationTime(NumericDate.fromSeconds(now - 10));
        assertNotNull(tokens().verify(es256(justExpired, providerKey), NONCE), "10 s past exp is within the skew");
        JwtClaims expired = claims();
        expired.setIssuedAt(NumericDate.fromSeconds(now - 300));
        expired.setExpirationTime(NumericDate.fromSeconds(now - 120));
        assertNull(tokens().verify(es256(expired, providerKey), NONCE));
        JwtClaims noExpiry = claims();
        noExpiry.unsetClaim("exp");
        assertNull(tokens().verify(es256(noExpiry, providerKey), NONCE), "exp is required");
    }

    @Test
    void aSubjectAndThisSignInsNonceAreRequired() throws Exception {
        JwtClaims noSubject = claims();
        noSubject.unsetClaim("sub");
        assertNull(tokens().verify(es256(noSubject, providerKey), NONCE));
        String token = es256(claims(), providerKey);
        assertNull(tokens().verify(token, "another-sign-in"), "a token replayed into another sign-in");
        assertNull(tokens().verify(token, null));
        JwtClaims noNonce = claims();
        noNonce.unsetClaim("nonce");
        assertNull(tokens().verify(es256(noNonce, providerKey), NONCE));
    }

    @Test
    void garbageIsRefusedWithoutAnException() {
        assertNull(tokens().verify("not-a-jwt", NONCE));
        assertNull(tokens().verify("", NONCE));
        assertNull(tokens().verify("a.b.c", NONCE));
    }
}
