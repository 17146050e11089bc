package io.keyhook.common.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The value of a {@code keyhook.token-revocations} record, as token-service publishes it (delete-policy topic, no
 * tombstones). By {@code kind}:
 * <ul>
 * <li>{@value #SECRET}: every token issued under {@code secretId} before {@code revokedAt} is revoked ({@code reason}:
 * {@code secret_invalidated}, {@code client_disabled}, {@code client_deleted}); key = secret id;</li>
 * <li>{@value #TOKEN}: just the token {@code jti}, good until {@code tokenExpiresAt}; key = secret id;</li>
 * <li>{@value #SIGNING_KEY}: every token signed by the key {@code kid} (an emergency key revocation); key = kid;</li>
 * <li>{@value #SIGNING_KEY_ADDED}: not a revocation: the key {@code kid} was added outside the schedule, so replicas
 * load it and resource servers fetch the JWKS until it carries it; key = kid.</li>
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RevocationRecord(int schemaVersion, String kind, String secretId, String clientId, String environment,
        String jti, String reason, Instant revokedAt, Instant tokenExpiresAt, String kid) {

    public static final String SECRET = "secret";
    public static final String TOKEN = "token";
    public static final String SIGNING_KEY = "signing_key";
    public static final String SIGNING_KEY_ADDED = "signing_key_added";

    static final int SCHEMA_VERSION = 1;

    /** Every token issued under the secret before {@code at} is revoked, for {@code reason}. */
    public static RevocationRecord secret(String secretId, String clientId, String environment, String reason,
            Instant at) {
        return new RevocationRecord(SCHEMA_VERSION, SECRET, secretId, clientId, environment, null, reason, at, null,
                null);
    }

    /** One token revoked by its client (RFC 7009), good until {@code expiresAt} anyway. */
    public static RevocationRecord token(String jti, String secretId, String clientId, String environment, Instant at,
            Instant expiresAt) {
        return new RevocationRecord(SCHEMA_VERSION, TOKEN, secretId, clientId, environment, jti, "token_revoked", at,
                expiresAt, null);
    }

    /** Every token the key signed is revoked. */
    public static RevocationRecord signingKeyRevoked(String kid, Instant at) {
        return new RevocationRecord(SCHEMA_VERSION, SIGNING_KEY, null, null, null, null, "key_revoked", at, null, kid);
    }

    /** The key was added outside the schedule. */
    public static RevocationRecord signingKeyAdded(String kid, Instant at) {
        return new RevocationRecord(SCHEMA_VERSION, SIGNING_KEY_ADDED, null, null, null, null, "key_rotated", at, null,
                kid);
    }
}
