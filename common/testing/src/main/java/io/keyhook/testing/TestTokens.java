package io.keyhook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints admin-API tokens for tests with a key pair made once per JVM. {@link JwtResource} points the service's SmallRye
 * JWT verification at the public half, exactly as production points it at token-service's JWKS.
 */
public final class TestTokens {

    public static final String ISSUER = "https://keyhook.test/";
    private static final KeyPair KEYS = generate();
    private static Path publicKeyFile;

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
                .keyId("test-key").sign(KEYS.getPrivate());
    }

    /** A well-formed token signed by a key the service does not trust. */
    public static String forged() {
        return Jwt.issuer(ISSUER).subject("mallory").groups(Set.of("platform-operator"))
                .claim("environments", List.of("*")).audience("keyhook-admin").expiresIn(Duration.ofMinutes(10)).jws()
                .sign(generate().getPrivate());
    }

    static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                publicKeyFile = Files.createTempFile("keyhook-test-jwt", ".pem");
                publicKeyFile.toFile().deleteOnExit();
                Files.writeString(publicKeyFile,
                        "-----BEGIN PUBLIC KEY-----\n"
                                + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                                + "\n-----END PUBLIC KEY-----\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
