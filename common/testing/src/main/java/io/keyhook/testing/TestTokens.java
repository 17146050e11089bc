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
    /** Keys of the other algorithms token-service may sign with, in the same JWKS. */
    private static final KeyPair RSA = generate("RSA", 2048);
    private static final KeyPair EC = generate("EC", 256);
    public static final String RSA_KID = "test-key-rs256";
    public static final String EC_KID = "test-key-es256";

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

    /**
     * An operator token signed with {@code algorithm} (EdDSA, RS256 or ES256) by the trusted key of that algorithm, as
     * token-service signs when {@code keyhook.token.signing.algorithm} names it.
     */
    public static String operator(SignatureAlgorithm algorithm) {
        var jws = Jwt.issuer(ISSUER).subject("operator").upn("operator").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").expiresIn(Duration.ofMinutes(10)).jws()
                .algorithm(algorithm);
        return switch (algorithm) {
        case EDDSA -> jws.keyId(KID).sign(KEYS.getPrivate());
        case RS256 -> jws.keyId(RSA_KID).sign(RSA.getPrivate());
        case ES256 -> jws.keyId(EC_KID).sign(EC.getPrivate());
        default -> throw new IllegalArgumentException("token-service never signs " + algorithm);
        };
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
                Files.writeString(jwksFile,
                        "{\"keys\":[" + publicJwk(KEYS, KID) + "," + rsaJwk() + "," + ecJwk() + "]}");
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

    private static String rsaJwk() {
        var k = (java.security.interfaces.RSAPublicKey) RSA.getPublic();
        return "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"" + RSA_KID + "\",\"n\":\""
                + b64(k.getModulus().toByteArray()) + "\",\"e\":\"" + b64(k.getPublicExponent().toByteArray()) + "\"}";
    }

    private static String ecJwk() {
        var k = (java.security.interfaces.ECPublicKey) EC.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"" + EC_KID + "\",\"x\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(fixed(k.getW().getAffineX().toByteArray()))
                + "\",\"y\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(fixed(k.getW().getAffineY().toByteArray()))
                + "\"}";
    }

    /** Unsigned big-endian, without the sign byte BigInteger may add. */
    private static String b64(byte[] signed) {
        byte[] b = signed.length > 1 && signed[0] == 0 ? Arrays.copyOfRange(signed, 1, signed.length) : signed;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** An EC coordinate as exactly 32 bytes, as RFC 7518 requires. */
    private static byte[] fixed(byte[] signed) {
        byte[] out = new byte[32];
        int n = Math.min(32, signed.length);
        System.arraycopy(signed, signed.length - n, out, 32 - n, n);
        return out;
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(size);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
