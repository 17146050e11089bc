package io.keyhook.token.persistence;

import java.time.Instant;

/** A row of {@code tokens.signing_keys}: the private key only as SecretCipher ciphertext. */
public record SigningKeyRow(String kid, String algorithm, String publicKey, String privateCiphertext, Instant createdAt,
        Instant activateAt, Instant retireAt, Instant expiresAt) {
}
