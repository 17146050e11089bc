package io.keyhook.common.security;

/**
 * A CDI event: token-service added signing key {@code kid} for an emergency rotation (read from
 * {@code keyhook.token-revocations}). token-service replicas reload their keys, so each publishes it before it signs.
 */
public record SigningKeyAdded(String kid) {
}
