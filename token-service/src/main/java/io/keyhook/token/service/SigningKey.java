package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.keyhook.common.security.TokenSigningAlgorithm;

/**
 * One access-token signing key of one algorithm ({@link KeyMaterial}). {@code retireAt} null = still signing.
 */
public record SigningKey(String kid, KeyMaterial material, Instant activateAt, Instant retireAt, Instant expiresAt,
        String encodedHeader) {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    static SigningKey of(String kid, KeyMaterial material, Instant activateAt, Instant retireAt, Instant expiresAt) {
        String header = "{\"alg\":\"" + material.algorithm().name() + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
        return new SigningKey(kid, material, activateAt, retireAt, expiresAt,
                B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)));
    }

    public TokenSigningAlgorithm algorithm() {
        return material.algorithm();
    }

    /** Whether this key may sign at {@code now}. */
    public boolean signsAt(Instant now) {
        return !activateAt.isAfter(now) && (retireAt == null || retireAt.isAfter(now));
    }

    /** Whether this key is published at {@code now} (it may still verify tokens). */
    public boolean publishedAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** {@code header.payload.signature} for an already-encoded payload. */
    public String sign(String encodedPayload) {
        String signingInput = encodedHeader + "." + encodedPayload;
        byte[] signature = material.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(signature);
    }

    /** Checks a signature made by this key. */
    public boolean verify(byte[] signingInput, byte[] signature) {
        return material.verify(signingInput, signature);
    }

    /** The public JWK (RFC 7517; RFC 8037 for Ed25519). */
    public String publicJwk() {
        return "{" + material.jwkMembers() + ",\"use\":\"sig\",\"alg\":\"" + algorithm().name() + "\",\"kid\":\"" + kid
                + "\"}";
    }
}
