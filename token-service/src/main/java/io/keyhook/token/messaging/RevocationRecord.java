package io.keyhook.token.messaging;

import java.time.Instant;

/**
 * The value of a {@code keyhook.token-revocations} record (key = secret id). {@code kind} = {@code secret}: every token
 * issued under {@code secretId} before {@code revokedAt} is revoked ({@code reason} says why:
 * {@code secret_invalidated}, {@code client_disabled}, {@code client_deleted}); {@code kind} = {@code token}: just the
 * token {@code jti}, good until {@code tokenExpiresAt}; {@code kind} = {@code signing_key}: every token signed by the
 * key {@code kid} (an emergency key revocation; key = kid).
 */
public record RevocationRecord(int schemaVersion, String kind, String secretId, String clientId, String environment,
        String jti, String reason, Instant revokedAt, Instant tokenExpiresAt, String kid) {
}
