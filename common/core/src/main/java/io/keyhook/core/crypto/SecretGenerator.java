package io.keyhook.core.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes client secrets and unguessable ids.
 *
 * <p>
 * A secret is {@code whsec_} + standard base64 of 33 CSPRNG bytes (264 bits), redrawn until it has no {@code +} or
 * {@code /}: it then survives form-urlencoding unchanged (so {@code curl -u} and OAuth clients agree) and Standard
 * Webhooks libraries accept it as-is (they strip {@code whsec_} and base64-decode the rest; 33 bytes encode without
 * padding).
 */
public final class SecretGenerator {

    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_LENGTH = 22;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private SecretGenerator() {
    }

    public static String newSecret() {
        byte[] raw = new byte[33];
        while (true) {
            RANDOM.nextBytes(raw);
            String encoded = Base64.getEncoder().encodeToString(raw);
            if (encoded.indexOf('+') < 0 && encoded.indexOf('/') < 0) {
                return SECRET_PREFIX + encoded;
            }
        }
    }

    /** A prefixed id of 22 base62 characters (~131 bits), e.g. {@code cl_4fT...}. */
    public static String newId(String prefix) {
        // one draw of random bytes, not one per character: every token carries a new id (its jti), and each call into
        // the JDK's SecureRandom takes a global lock and a SHA-1 round (22 calls cost more than the rest of the id)
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        StringBuilder b = new StringBuilder(prefix.length() + ID_LENGTH).append(prefix);
        int used = 0;
        for (int n = 0; n < ID_LENGTH;) {
            if (used == raw.length) {
                RANDOM.nextBytes(raw);
                used = 0;
            }
            int v = raw[used++] & 0xff;
            // 248 = 4 * 62: a byte from 248 up is dropped, or the first eight characters would come up more often
            if (v < 4 * BASE62.length) {
                b.append(BASE62[v % BASE62.length]);
                n++;
            }
        }
        return b.toString();
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
