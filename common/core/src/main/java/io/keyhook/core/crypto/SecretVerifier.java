package io.keyhook.core.crypto;

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
    private final ThreadLocal<Mac> macs;

    public SecretVerifier(byte[] pepper) {
        if (pepper.length < 32) {
            throw new IllegalArgumentException("the pepper must have at least 32 bytes");
        }
        this.pepper = new SecretKeySpec(pepper.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String verifierOf(String secret) {
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(mac(secret));
    }

    /** Constant-time comparison of a presented secret with a stored verifier. */
    public boolean matches(String presentedSecret, String storedVerifier) {
        if (presentedSecret == null) {
            return false;
        }
        byte[] expected = decode(storedVerifier);
        return expected != null && MessageDigest.isEqual(mac(presentedSecret), expected);
    }

    /**
     * The keyed digest of a presented secret, to compare with several decoded verifiers without hashing again (see
     * {@link #decode}).
     */
    public byte[] digest(String presentedSecret) {
        return mac(presentedSecret);
    }

    /** The digest inside a stored verifier, or null when it is not one. */
    public static byte[] decode(String storedVerifier) {
        if (storedVerifier == null || !storedVerifier.startsWith(PREFIX)) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(storedVerifier.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] mac(String secret) {
        // a Mac per thread: getInstance + init on every call costs more than the hash itself
        Mac mac = macs.get();
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
