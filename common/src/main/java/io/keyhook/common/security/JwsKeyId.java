package io.keyhook.common.security;

import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The {@code kid} in a compact JWS's header, read without verifying anything (to match it against revoked keys). */
public final class JwsKeyId {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JwsKeyId() {
    }

    /** The header's {@code kid}, or null when there is none or the token is not a compact JWS. */
    public static String of(String compact) {
        int dot = compact == null ? -1 : compact.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(compact.substring(0, dot))).path("kid").asText(null);
        } catch (Exception e) {
            return null;
        }
    }
}
