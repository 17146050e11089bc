package io.keyhook.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stored form of a secret used for authentication: HMAC-SHA256 keyed with a server-side pepper. A secret has 264
 * random bits, so a keyed hash is enough (no slow KDF needed, which a token endpoint could not afford), and a leaked
 * table is useless without the pepper. Format: {@code h1:<base64>}.
 */
public final class SecretVerifier {

    private static final String PREFIX = "h1:";
    private final SecretKeySpec pepper;

    public SecretVerifier(byte[] pepper) {
        if (pepper.length < 32) {
            throw new IllegalArgumentException("the pepper must have at least 32 bytes");
        }
        this.pepper = new SecretKeySpec(pepper.clone(), "HmacSHA256");
    }

    public String verifierOf(String secret) {
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(mac(secret));
    }

    /** Constant-time comparison of a presented secret with a stored verifier. */
    public boolean matches(String presentedSecret, String storedVerifier) {
        if (presentedSecret == null || storedVerifier == null || !storedVerifier.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(storedVerifier.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(presentedSecret), expected);
    }

    private byte[] mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
