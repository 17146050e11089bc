package io.keyhook.credentials.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A public key of a private_key_jwt client: for an inline JWKS every registered key (with its {@code kty}, {@code alg}
 * and {@code crv} as registered); for a jwksUri client the keys token-service has seen in use (only {@code kid} is
 * known). {@code firstUsedAt}/{@code lastUsedAt} are null until token-service reports a use. {@code registeredAt}: when
 * this kid was first registered in the inline JWKS (a key kept across a PATCH keeps its time; null for a jwksUri
 * client's keys, which are the customer's). {@code ageFlaggedAt}: when the key was flagged as older than the
 * Environment's {@code secretMaxAgeDays}, else null.
 */
public record ClientKeyResponse(String kid, String alg, String kty,
        @JsonInclude(JsonInclude.Include.NON_NULL) String crv, Instant firstUsedAt, Instant lastUsedAt,
        Instant registeredAt, Instant ageFlaggedAt) {
}
