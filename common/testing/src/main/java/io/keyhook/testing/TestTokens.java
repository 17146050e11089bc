package io.keyhook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Mints admin-API tokens for tests with an Ed25519 key pair made once per JVM (EdDSA, as token-service signs).
 * {@link JwtResource} points the service's SmallRye JWT verification at the public half, exactly as production points
 * it at token-service's JWKS.
 */
public final class TestTokens {

    public static final String ISSUER = "https://keyhook.test/";
    private static final KeyPair KEYS = generate();
    public static final String KID = "test-key";
    private static Path jwksFile;

    private TestTokens() {
    }

    public static String operator() {
        return token("operator", List.of("platform-operator"), List.of("*"));
    }

    public static String admin(String... environments) {
        return token("admin-" + String.join("-", environments), List.of("integration-admin"), List.of(environments));
    }

    public static String service() {
        return token("svc-webhook-config", List.of("keyhook-service"), List.of("*"));
    }

    public static String token(String subject, List<String> groups, List<String> environments) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.copyOf(groups))
                .claim("environments", environments).audience("keyhook-admin").expiresIn(Duration.ofMinutes(10)).jws()
                .algorithm(SignatureAlgorithm.EDDSA).keyId(KID).sign(KEYS.getPrivate());
    }

    /** A well-formed token signed by a key the service does not trust. */
    public static String forged() {
        return Jwt.issuer(ISSUER).subject("mallory").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").expiresIn(Duration.ofMinutes(10)).jws()
                .algorithm(SignatureAlgorithm.EDDSA).keyId(KID).sign(generate().getPrivate());
    }

    /** The trusted key as a JWKS document, the way token-service publishes its keys. */
    static synchronized Path jwksFile() {
        if (jwksFile == null) {
            try {
                jwksFile = Files.createTempFile("keyhook-test-jwks", ".json");
                jwksFile.toFile().deleteOnExit();
                Files.writeString(jwksFile, "{\"keys\":[" + publicJwk(KEYS, KID) + "]}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jwksFile;
    }

    /** The RFC 8037 public JWK of an Ed25519 key pair. */
    public static String publicJwk(KeyPair keys, String kid) {
        byte[] spki = keys.getPublic().getEncoded();
        // an Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix followed by the 32-byte key
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"EdDSA\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"x\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\"}";
    }

    /** The key pair that signs every test token (for tests that forge tokens on purpose). */
    public static KeyPair keys() {
        return KEYS;
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
